import { companyLanguage } from '../domain/ledger.ts';
import { exportFileName, renderExport, type ExportFormat } from '../exports/render.ts';
import type { ReportDocument } from '../exports/table.ts';
import { translator } from '../i18n/index.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { listPayments, type PaymentFilter } from '../storage/settlements.ts';
import type { IsoDate } from '../domain/calendar.ts';

/** The most payments one export carries; a narrower filter (dates, method, customer) gives the rest. */
export const PAYMENTS_EXPORT_MAX = 100_000;
const PAGE = 2_000;

/** The payments list as it is filtered on screen, as a CSV or XLSX file in the company's language. */
export async function paymentsExport(
  db: Db,
  companyId: string,
  filter: PaymentFilter,
  format: Exclude<ExportFormat, 'pdf'>,
  today: IsoDate,
): Promise<{ bytes: Buffer; fileName: string }> {
  const company = await getCompany(db, companyId);
  const language = companyLanguage(company);
  const t = translator(language);
  const rows = [];
  let before: string | undefined;
  while (rows.length < PAYMENTS_EXPORT_MAX) {
    const page = await listPayments(db, companyId, { ...filter, before, limit: PAGE });
    rows.push(...page);
    if (page.length < PAGE) break;
    before = page[page.length - 1]!.id;
  }
  const document: ReportDocument = {
    title: t('paymentsExport.title'),
    date: today,
    language,
    tables: [
      {
        title: t('paymentsExport.title'),
        columns: [
          { header: t('paymentsExport.date'), kind: 'date' },
          { header: t('paymentsExport.code'), kind: 'text' },
          { header: t('paymentsExport.customer'), kind: 'text', weight: 2 },
          { header: t('paymentsExport.method'), kind: 'text' },
          { header: t('paymentsExport.reference'), kind: 'text' },
          { header: t('paymentsExport.amount'), kind: 'money' },
          { header: t('paymentsExport.unallocated'), kind: 'money' },
        ],
        rows: rows.map((p) => [
          p.date,
          p.customerCode,
          p.customerName,
          t(`enums.paymentMethod.${p.method}`),
          p.reference,
          { cents: p.amount, currency: p.currency },
          { cents: p.unallocated, currency: p.currency },
        ]),
      },
    ],
  };
  return { bytes: await renderExport(document, format, company), fileName: exportFileName(document, format) };
}

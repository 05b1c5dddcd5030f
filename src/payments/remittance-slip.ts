import { companyLanguage } from '../domain/ledger.ts';
import { renderExport } from '../exports/render.ts';
import type { ReportDocument } from '../exports/table.ts';
import { translator } from '../i18n/index.ts';
import { getCompany } from '../storage/companies.ts';
import { getRemittance } from '../storage/cheque-remittances.ts';
import type { Db } from '../storage/database.ts';

/**
 * The bordereau de remise de chèques as a PDF in the company's language: the account credited, then each
 * cheque (customer, cheque number, date, amount) and the total, as a bank asks for it at the counter.
 * The document's date is the deposit date, so printing the same slip again gives the same bytes.
 */
export async function remittanceSlipPdf(
  db: Db,
  companyId: string,
  id: string,
  filter: { salesRep?: string } = {},
): Promise<{ bytes: Buffer; fileName: string }> {
  const [company, slip] = await Promise.all([getCompany(db, companyId), getRemittance(db, companyId, id, filter)]);
  const language = companyLanguage(company);
  const t = translator(language);
  const money = (cents: number) => ({ cents, currency: slip.currency });
  const document: ReportDocument = {
    title: t('chequeSlip.title', { number: slip.number }),
    date: slip.depositedOn,
    language,
    tables: [
      {
        title: t('chequeSlip.account', {
          holder: company.legalName,
          iban: company.iban ?? t('chequeSlip.noIban'),
          count: slip.cheques,
        }),
        columns: [
          { header: t('chequeSlip.customer'), kind: 'text', weight: 2 },
          { header: t('chequeSlip.code'), kind: 'text' },
          { header: t('chequeSlip.chequeNumber'), kind: 'text' },
          { header: t('chequeSlip.date'), kind: 'date' },
          { header: t('chequeSlip.amount'), kind: 'money' },
        ],
        rows: [
          ...slip.lines.map((l) => [l.customerName, l.customerCode, l.reference, l.date, money(l.amount)]),
          [t('chequeSlip.total', { count: slip.cheques }), null, null, null, money(slip.total)],
        ],
        totalRows: 1,
      },
    ],
  };
  const bytes = await renderExport(document, 'pdf', company);
  return { bytes, fileName: `remise-cheques-${slip.number}-${slip.depositedOn}.pdf` };
}

import type { IsoDate } from '../domain/calendar.ts';
import { balanceOf, daysOverdue, type Invoice, type Language } from '../domain/ledger.ts';
import { formatDateText, moneyText } from '../communications/format.ts';
import { contextAddress } from '../communications/format.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getInvoicePdf, toInvoice } from '../storage/invoices.ts';
import { BOLD } from './fonts.ts';
import { finish, line, MM, newPdf, type Pdf } from './pdf-document.ts';
import { LEFT, PageFrame, RIGHT, title, type Issuer } from './page-frame.ts';
import { textsFor } from './texts.ts';

/** What a generated copy shows: the ledger's data, in the customer's language. */
export type InvoiceCopyData = {
  issuer: Issuer;
  customer: { code: string; name: string; block: string[] };
  invoice: Invoice;
  language: Language;
  asOf: IsoDate;
};

export type InvoiceCopySource = { stored: Uint8Array } | { generated: InvoiceCopyData };

/** The invoice's own PDF when one was attached, else the data to generate a copy from the ledger. */
export async function loadInvoiceCopy(
  db: Db,
  companyId: string,
  invoiceId: string,
  asOf?: IsoDate,
): Promise<InvoiceCopySource> {
  const stored = await getInvoicePdf(db, companyId, invoiceId);
  if (stored) return { stored: stored.content };
  const row = isId(invoiceId)
    ? await db
        .selectFrom('invoices')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', invoiceId)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('not_found', `No invoice with id ${invoiceId}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: invoiceId },
    });
  const invoice = toInvoice(row);
  const [company, customer] = await Promise.all([
    getCompany(db, companyId),
    getCustomer(db, companyId, invoice.customerId),
  ]);
  const language = customer.language;
  return {
    generated: {
      issuer: {
        legalName: company.legalName,
        siren: company.siren,
        vatNumber: company.vatNumber,
        address: contextAddress(company.address, company.address.country, language),
      },
      customer: {
        code: customer.code,
        name: customer.name,
        block: contextAddress(customer.address, company.address.country, language).block,
      },
      invoice,
      language,
      asOf: asOf ?? invoice.issueDate,
    },
  };
}

/** Draws a one-page copy of an invoice from the ledger, on a new page of `doc`; returns its page count. */
export function drawInvoiceCopy(doc: Pdf, data: InvoiceCopyData): number {
  const t = textsFor(data.language);
  const { invoice, language } = data;
  const money = (cents: number) => moneyText(cents, invoice.currency, language).text;
  const frame = new PageFrame(doc, data.issuer, language, `${t.invoice} ${invoice.number}`);
  let y = frame.first();
  line(doc, data.issuer.legalName, LEFT, 15 * MM, { font: BOLD, size: 12 });
  data.issuer.address.block.forEach((text, i) => line(doc, text, LEFT, 15 * MM + 16 + i * 11, { size: 8.5 }));
  line(doc, t.copy, RIGHT, 15 * MM, { font: BOLD, size: 11, align: 'right' });
  y = 50 * MM;
  line(doc, `${t.customer} ${data.customer.code}`, 110 * MM, y, { size: 8.5 });
  line(doc, data.customer.name, 110 * MM, y + 13, { font: BOLD, size: 10 });
  data.customer.block.forEach((text, i) => line(doc, text, 110 * MM, y + 27 + i * 12, { size: 10 }));
  y = title(doc, `${t.invoice} ${invoice.number}`, 90 * MM);
  const rows: [string, string][] = [
    [t.issueDate, formatDateText(invoice.issueDate, language)],
    [t.dueDate, formatDateText(invoice.dueDate, language)],
  ];
  if (invoice.title) rows.push([t.description, invoice.title]);
  if (invoice.totalExclTax !== null) {
    rows.push([t.totalExclTax, money(invoice.totalExclTax)], [t.tax, money(invoice.total - invoice.totalExclTax)]);
  }
  rows.push(
    [t.total, money(invoice.total)],
    [t.paid, money(invoice.allocated)],
    [t.balance, money(balanceOf(invoice))],
  );
  const late = balanceOf(invoice) > 0 ? Math.max(0, daysOverdue(invoice.dueDate, data.asOf)) : 0;
  if (late > 0) rows.push([t.columns[6]!, String(late)]);
  for (const [label, value] of rows) {
    const strong = label === t.total || label === t.balance;
    line(doc, label, LEFT, y, { font: strong ? BOLD : undefined, size: 10 });
    line(doc, value, RIGHT, y, { font: strong ? BOLD : undefined, size: 10, align: 'right', maxWidth: 100 * MM });
    y += 18;
  }
  doc.fillColor('#4b5563');
  line(doc, t.copyNote, LEFT, y + 12, { size: 8 });
  doc.fillColor('#111111');
  return frame.count;
}

/**
 * The invoice as a PDF to attach or print: its stored PDF when there is one, byte for byte, otherwise a
 * copy generated from the ledger (deterministic, dated from the invoice).
 */
export async function invoiceCopyPdf(db: Db, companyId: string, invoiceId: string): Promise<Buffer> {
  const source = await loadInvoiceCopy(db, companyId, invoiceId);
  if ('stored' in source) return Buffer.from(source.stored);
  const { invoice, language } = source.generated;
  const doc = newPdf({ title: `${textsFor(language).invoice} ${invoice.number}`, date: invoice.issueDate, language });
  drawInvoiceCopy(doc, source.generated);
  return finish(doc);
}

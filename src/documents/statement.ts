import { legalMentions } from '../domain/identity.ts';
import { contextAddress, formatDateText, moneyText } from '../communications/format.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings } from '../storage/documents.ts';
import { listInvoices, type InvoiceListItem } from '../storage/invoices.ts';
import { BOLD } from './fonts.ts';
import { invoiceColumns } from './letter-body.ts';
import { drawLetterhead, drawWindowAddress, letterAssets, windowBox } from './letterhead.ts';
import { finish, line, MM, newPdf } from './pdf-document.ts';
import { LEFT, PageFrame, RIGHT, title, WIDTH } from './page-frame.ts';
import { drawTable } from './table.ts';
import { textsFor } from './texts.ts';

/** Aging buckets of the balance: not yet due, 1–30, 31–60, 61–90 and over 90 days late. */
export function agingBucket(daysOverdue: number): number {
  if (daysOverdue <= 0) return 0;
  if (daysOverdue <= 30) return 1;
  if (daysOverdue <= 60) return 2;
  return daysOverdue <= 90 ? 3 : 4;
}

/**
 * The customer's statement of account (relevé de compte) as of a date: every open invoice with what was
 * paid and what is left, totals and the aged balance, per currency, in the customer's language.
 */
export async function statementPdf(
  db: Db,
  companyId: string,
  options: { customerCode: string; date: IsoDate },
): Promise<Buffer> {
  const [company, customer, settings] = await Promise.all([
    getCompany(db, companyId),
    getCustomerByCode(db, companyId, options.customerCode),
    getLetterSettings(db, companyId),
  ]);
  const invoices: InvoiceListItem[] = [];
  for (let page: InvoiceListItem[] = []; ;) {
    page = await listInvoices(db, companyId, {
      open: true,
      customerCode: customer.code,
      asOf: options.date,
      limit: 5_000,
      afterNumber: invoices[invoices.length - 1]?.number,
    });
    invoices.push(...page);
    if (page.length < 5_000) break;
  }
  const language = customer.language;
  const t = textsFor(language);
  const date = (d: IsoDate) => formatDateText(d, language);
  const sender = {
    legalName: company.legalName,
    siren: company.siren,
    vatNumber: company.vatNumber,
    letterhead: company.letterhead,
    address: contextAddress(company.address, company.address.country, language),
    language,
    legalMentions: legalMentions(company, language),
    phone: company.phone ?? null,
  };
  const doc = newPdf({ title: `${t.statement} ${customer.code} ${options.date}`, date: options.date, language });
  const frame = new PageFrame(doc, sender, language, `${t.statement} — ${customer.name}`);
  frame.first();
  const head = drawLetterhead(doc, sender, settings, letterAssets(doc, settings));
  drawWindowAddress(
    doc,
    [customer.name, ...contextAddress(customer.address, company.address.country, language).block],
    settings.window,
  );
  const box = windowBox(settings.window);
  let y = title(doc, t.statement, Math.max(head, box.y + box.height) + 8 * MM);
  line(doc, `${t.statementAt(date(options.date))} · ${t.customerRef(customer.code)}`, LEFT, y, { size: 9.5 });
  y += 20;
  const currencies = [...new Set(invoices.map((i) => i.currency))].sort();
  if (currencies.length === 0) line(doc, t.none, LEFT, y, { size: 10 });
  for (const currency of currencies) {
    const items = invoices.filter((i) => i.currency === currency);
    const money = (cents: number) => moneyText(cents, currency, language).text;
    const sum = (pick: (i: InvoiceListItem) => number) => items.reduce((s, i) => s + pick(i), 0);
    const rows = items.map((i) => [
      i.number,
      date(i.issueDate),
      date(i.dueDate),
      money(i.total),
      money(i.allocated),
      money(i.balance),
      String(i.daysOverdue),
    ]);
    rows.push([
      t.due,
      '',
      '',
      money(sum((i) => i.total)),
      money(sum((i) => i.allocated)),
      money(sum((i) => i.balance)),
      '',
    ]);
    y = drawTable(doc, LEFT, y, invoiceColumns(t.statementColumns), rows, frame, { boldLast: true }) + 16;
    const buckets = [0, 0, 0, 0, 0];
    for (const item of items) buckets[agingBucket(item.daysOverdue)]! += item.balance;
    y = frame.ensure(y, 50);
    line(doc, `${t.aging} (${currency})`, LEFT, y, { font: BOLD, size: 10 });
    const columns = t.agingBuckets.map((header) => ({ header, width: WIDTH / 6, align: 'right' as const }));
    y = drawTable(doc, LEFT, y + 15, columns, [[...buckets.map(money), money(sum((i) => i.balance))]], frame) + 20;
  }
  doc.fillColor('#4b5563');
  line(doc, t.generated(date(options.date)), RIGHT, frame.ensure(y, 14), { size: 8, align: 'right' });
  return finish(doc);
}

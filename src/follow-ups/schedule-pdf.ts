import { contextAddress, formatDateText, moneyText } from '../communications/format.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getInvoiceByNumber } from '../storage/invoices.ts';
import { getPaymentSchedule } from '../storage/quotes.ts';
import { BOLD } from '../documents/fonts.ts';
import { finish, line, MM, newPdf } from '../documents/pdf-document.ts';
import { LEFT, PageFrame, title, WIDTH } from '../documents/page-frame.ts';
import { drawTable } from '../documents/table.ts';
import { dueInstalments } from './plan.ts';

const TEXTS = {
  fr: {
    title: 'Échéancier de paiement',
    invoice: (n: string, d: string) => `Facture ${n} du ${d}`,
    customer: 'Client',
    columns: ['Échéance', 'Date', 'Montant', 'Reste à payer'],
    total: 'Total',
    paid: 'Payée',
    at: (d: string) => `Situation au ${d}`,
  },
  en: {
    title: 'Payment schedule',
    invoice: (n: string, d: string) => `Invoice ${n} of ${d}`,
    customer: 'Customer',
    columns: ['Instalment', 'Date', 'Amount', 'Left to pay'],
    total: 'Total',
    paid: 'Paid',
    at: (d: string) => `Position on ${d}`,
  },
};

/**
 * The échéancier of an invoice as a one-page PDF (attached to instalment reminders): each
 * instalment with its date, amount and what is left to pay on it, in the customer's language. The
 * document's date is `date`, so the same schedule on the same day gives the same bytes.
 */
export async function schedulePdf(db: Db, companyId: string, invoiceNumber: string, date: IsoDate): Promise<Buffer> {
  const invoice = await getInvoiceByNumber(db, companyId, invoiceNumber);
  const schedule = await getPaymentSchedule(db, companyId, invoice.id);
  if (!schedule)
    throw new AppError('not_found', `Invoice ${invoiceNumber} has no payment schedule.`, [], {
      key: 'problem.notFound.schedule',
      params: { invoice: invoiceNumber },
    });
  const [company, customer] = await Promise.all([
    getCompany(db, companyId),
    getCustomer(db, companyId, invoice.customerId),
  ]);
  const language = customer.language;
  const t = TEXTS[language];
  const money = (cents: number) => moneyText(cents, invoice.currency, language).text;
  const unpaid = new Map(
    dueInstalments(
      [
        {
          scheduleId: schedule.id,
          invoiceId: invoice.id,
          number: invoice.number,
          customerId: customer.id,
          total: invoice.total,
          allocated: invoice.allocated,
          instalments: schedule.instalments,
        },
      ],
      new Set(),
      '9999-12-31',
    ).map((d) => [d.seq, d.unpaid]),
  );
  const issuer = {
    legalName: company.legalName,
    siren: company.siren,
    vatNumber: company.vatNumber,
    address: contextAddress(company.address, company.address.country, language),
  };
  const doc = newPdf({ title: `${t.title} ${invoice.number}`, date, language });
  const frame = new PageFrame(doc, issuer, language, `${t.title} — ${invoice.number}`);
  let y = frame.first();
  line(doc, company.legalName, LEFT, y, { font: BOLD, size: 11 });
  y = title(doc, t.title, y + 14 * MM);
  line(doc, t.invoice(invoice.number, formatDateText(invoice.issueDate, language)), LEFT, y, { size: 10 });
  line(doc, `${t.customer} : ${customer.name} (${customer.code})`, LEFT, y + 14, { size: 10 });
  line(doc, t.at(formatDateText(date, language)), LEFT, y + 28, { size: 9 });
  const count = schedule.instalments.length;
  const rows = schedule.instalments.map((i) => {
    const left = unpaid.get(i.seq) ?? 0;
    return [
      `${i.seq}/${count}`,
      formatDateText(i.dueDate, language),
      money(i.amount),
      left === 0 ? t.paid : money(left),
    ];
  });
  rows.push([
    t.total,
    '',
    money(schedule.instalments.reduce((s, i) => s + i.amount, 0)),
    money([...unpaid.values()].reduce((s, v) => s + v, 0)),
  ]);
  const columns = t.columns.map((header, i) => ({
    header,
    width: WIDTH / 4,
    align: i >= 2 ? ('right' as const) : ('left' as const),
  }));
  drawTable(doc, LEFT, y + 48, columns, rows, frame, { boldLast: true });
  return finish(doc);
}

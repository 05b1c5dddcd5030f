import { companyDate } from '../accounts/view-company.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { assertSees } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { getCustomer, getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getInvoice } from '../storage/invoices.ts';
import { invoiceCopyPdf } from './invoice-copy.ts';
import type { Viewer } from '../shared/viewer.ts';
import { statementPdf } from './statement.ts';
import { summaryPdf } from './summary.ts';

const seer = (who: Viewer) => ({ ...who, userId: null, name: '' });

/** An invoice the viewer may see as a PDF: its stored file, else a copy generated from the ledger. */
export async function invoiceCopy(db: Db, who: Viewer, invoiceId: string): Promise<{ pdf: Buffer; number: string }> {
  const invoice = await getInvoice(db, who.companyId, invoiceId);
  assertSees(seer(who), await getCustomer(db, who.companyId, invoice.customerId), `invoice with id ${invoiceId}`);
  return { pdf: await invoiceCopyPdf(db, who.companyId, invoice.id), number: invoice.number };
}

/** The statement of account of a customer the viewer may see, on a date (the company's today by default). */
export async function customerStatement(
  db: Db,
  who: Viewer,
  customerId: string,
  options: { date?: IsoDate },
): Promise<{ pdf: Buffer; customerCode: string; date: IsoDate }> {
  const customer = await getCustomer(db, who.companyId, customerId);
  assertSees(seer(who), customer, `customer with id ${customerId}`);
  const date = options.date ?? (await companyDate(db, who.companyId));
  const pdf = await statementPdf(db, who.companyId, { customerCode: customer.code, date });
  return { pdf, customerCode: customer.code, date };
}

/**
 * The reminders summary, of one customer or of all; a collector restricted to a représentant prints it one
 * customer at a time, since the whole summary names every customer.
 */
export async function remindersSummary(
  db: Db,
  who: Viewer,
  options: { customerCode?: string; date?: IsoDate; language?: 'fr' | 'en' },
): Promise<{ pdf: Buffer; invoices: number; date: IsoDate }> {
  const { customerCode, language } = options;
  if (customerCode)
    assertSees(
      seer(who),
      await getCustomerByCode(db, who.companyId, customerCode),
      `customer with code ${customerCode}`,
    );
  else if (who.salesRep !== null)
    throw new AppError(
      'forbidden',
      'A collector restricted to a sales rep prints the summary one customer at a time (customer).',
      [],
      { key: 'problem.documents.restrictedSummary' },
    );
  const date = options.date ?? (await companyDate(db, who.companyId));
  const result = await summaryPdf(db, who.companyId, { date, customerCode, language });
  return { pdf: result.pdf, invoices: result.invoices, date };
}

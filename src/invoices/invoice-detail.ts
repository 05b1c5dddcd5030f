import { companyToday } from '../accounts/view-company.ts';
import { balanceOf, daysOverdue, type Invoice, type PaymentSchedule } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import type { Viewer } from '../shared/viewer.ts';
import { listAllocations, type AllocationDetail } from '../storage/allocations.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { listReminders, type ReminderHistoryItem } from '../storage/dunning.ts';
import { getInvoicePdf } from '../storage/invoices.ts';
import { getPaymentSchedule } from '../storage/quotes.ts';
import { visibleInvoice } from './visible-invoice.ts';

export type InvoiceDetail = Invoice & {
  customerCode: string;
  customerName: string;
  balance: number;
  daysOverdue: number;
  lastReminderOn: string | null;
  allocations: AllocationDetail[];
  reminders: ReminderHistoryItem[];
  schedule: { instalments: PaymentSchedule['instalments'] } | null;
  hasPdf: boolean;
};

/** An invoice with its customer, what it received, its reminders and schedule, lateness counted today. */
export async function invoiceDetail(db: Db, who: Viewer, id: string): Promise<InvoiceDetail> {
  const invoice = await visibleInvoice(db, who, id);
  const customer = await getCustomer(db, who.companyId, invoice.customerId);
  const asOf = await companyToday(db, who.companyId);
  const schedule = await getPaymentSchedule(db, who.companyId, invoice.id);
  const reminders = await listReminders(db, who.companyId, { invoiceNumber: invoice.number });
  return {
    ...invoice,
    customerCode: customer.code,
    customerName: customer.name,
    balance: balanceOf(invoice),
    daysOverdue: balanceOf(invoice) > 0 ? Math.max(0, daysOverdue(invoice.dueDate, asOf)) : 0,
    lastReminderOn: reminders.reduce<string | null>(
      (last, r) => (last === null || r.sentOn > last ? r.sentOn : last),
      null,
    ),
    allocations: await listAllocations(db, who.companyId, invoice.id),
    reminders,
    schedule: schedule ? { instalments: schedule.instalments } : null,
    hasPdf: (await getInvoicePdf(db, who.companyId, invoice.id)) !== null,
  };
}

/** The payments and credit notes allocated to an invoice the viewer may see. */
export async function invoiceAllocations(db: Db, who: Viewer, id: string): Promise<AllocationDetail[]> {
  const invoice = await visibleInvoice(db, who, id);
  return listAllocations(db, who.companyId, invoice.id);
}

/** The invoice's own stored PDF; an invoice without one is a "not found" naming it. */
export async function invoicePdf(db: Db, who: Viewer, id: string): Promise<{ filename: string; content: Uint8Array }> {
  const invoice = await visibleInvoice(db, who, id);
  const file = await getInvoicePdf(db, who.companyId, invoice.id);
  if (!file)
    throw new AppError('not_found', `Invoice ${invoice.number} has no stored PDF.`, [], {
      key: 'problem.notFound.invoicePdf',
      params: { invoice: invoice.number },
    });
  return file;
}

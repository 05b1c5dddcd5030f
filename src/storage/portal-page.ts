import { isOpenInvoice } from './open-invoice.ts';
import type { Db } from './database.ts';

export type PortalInvoiceRow = {
  id: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: number;
  allocated: number;
  disputed: boolean;
  promiseToPayDate: string | null;
  paymentAnnouncedOn: string | null;
  reminders: number;
};

/** The customer's open invoices, oldest due first, each with the reminders it received (both read by customer). */
export async function portalInvoices(db: Db, companyId: string, customerId: string): Promise<PortalInvoiceRow[]> {
  const rows = await db
    .selectFrom('invoices as i')
    .select([
      'i.id',
      'i.number',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'i.total',
      'i.allocated',
      'i.disputed',
      'i.promise_to_pay_date',
      'i.payment_announced_on',
    ])
    .select((eb) =>
      eb
        .selectFrom('reminders as r')
        .select((r) => r.fn.countAll<number>().as('n'))
        .whereRef('r.company_id', '=', 'i.company_id')
        .whereRef('r.invoice_id', '=', 'i.id')
        .where('r.state', '=', 'sent')
        .as('reminders'),
    )
    .where('i.company_id', '=', companyId)
    .where('i.customer_id', '=', customerId)
    .where(isOpenInvoice('i'))
    .orderBy('i.due_date')
    .orderBy('i.number')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    currency: r.currency,
    total: Number(r.total),
    allocated: Number(r.allocated),
    disputed: r.disputed === 1,
    promiseToPayDate: r.promise_to_pay_date,
    paymentAnnouncedOn: r.payment_announced_on,
    reminders: Number(r.reminders ?? 0),
  }));
}

/** The customer's newest communication that was not cancelled, with its invoices: the last letter they got. */
export async function lastCommunication(
  db: Db,
  companyId: string,
  customerId: string,
): Promise<{ level: number; sentOn: string; invoiceIds: string[] } | null> {
  const communication = await db
    .selectFrom('communications')
    .select(['id', 'level'])
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('cancelled_at', 'is', null)
    .where('level', '>', 0)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!communication) return null;
  const reminders = await db
    .selectFrom('reminders')
    .select(['invoice_id', 'sent_on'])
    .where('company_id', '=', companyId)
    .where('communication_id', '=', communication.id)
    .execute();
  if (reminders.length === 0) return null;
  return {
    level: communication.level,
    sentOn: reminders[0]!.sent_on,
    invoiceIds: reminders.map((r) => r.invoice_id),
  };
}

import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { isOpenInvoice } from './open-invoice.ts';
import type { Db } from './database.ts';

export type PortalCustomerRow = { id: string; code: string; name: string; language: string; hasLetter: boolean };

/**
 * The customer the page greets and whether their last letter can be shown (lastCommunication finds one), in one
 * statement: the page is read far more often than either changes.
 */
export async function portalCustomer(db: Db, companyId: string, customerId: string): Promise<PortalCustomerRow> {
  const row = isId(customerId)
    ? await db
        .selectFrom('customers as c')
        .select(['c.id', 'c.code', 'c.name', 'c.language'])
        .select(
          sql<number | null>`(select exists (select 1 from reminders as r where r.company_id = m.company_id
            and r.communication_id = m.id) from communications as m where m.company_id = c.company_id
            and m.customer_id = c.id and m.cancelled_at is null and m.level > 0
            order by m.created_at desc limit 1)`.as('has_letter'),
        )
        .where('c.company_id', '=', companyId)
        .where('c.id', '=', customerId)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    language: row.language,
    hasLetter: Boolean(row.has_letter),
  };
}

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
        // Repeats the partial key's condition, without which SQLite reads every reminder of the company per invoice.
        .where('r.state', '<>', 'cancelled')
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

/**
 * What identifies the company's current logo without reading it (when its letter settings last changed, and the
 * logo's size), or null without a logo.
 */
export async function logoStamp(db: Db, companyId: string): Promise<string | null> {
  const row = await db
    .selectFrom('letter_settings')
    .select(['updated_at', 'logo_media_type', sql<number | null>`length(logo)`.as('size')])
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row?.logo_media_type ? `${row.updated_at}|${row.size}` : null;
}

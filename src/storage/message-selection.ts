import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Db } from './database.ts';
import type { ReminderState } from './schema.ts';
import { inIds } from './in-list.ts';
import { isOpenInvoice } from './open-invoice.ts';

/** Invoices named by id (the API) or by number (the command line). */
export type NamedInvoices = { ids: string[] } | { numbers: string[] };

/** At most this many invoices in one message preview: a real message never lists more. */
const PREVIEW_LIMIT = 200;

/**
 * The invoices a message for this customer is about: those named (each must be the customer's), else its open
 * ones, by due date then number.
 */
export async function messageInvoices(
  db: Db,
  companyId: string,
  customer: { id: string; code: string },
  named?: NamedInvoices,
): Promise<{ id: string; number: string }[]> {
  let query = db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customer.id);
  if (named && 'ids' in named && named.ids.length > 0) query = query.where('id', 'in', named.ids.filter(isId));
  else if (named && 'numbers' in named && named.numbers.length > 0) query = query.where('number', 'in', named.numbers);
  else query = query.where(isOpenInvoice());
  const found = await query.orderBy('due_date').orderBy('number').limit(PREVIEW_LIMIT).execute();
  const missing = !named
    ? []
    : 'ids' in named
      ? named.ids.filter((id) => !found.some((f) => f.id === id))
      : named.numbers.filter((n) => !found.some((f) => f.number === n));
  if (missing.length > 0)
    throw new AppError('not_found', `No invoice ${missing.join(', ')} for customer ${customer.code}.`, [], {
      key: 'problem.notFound.invoicesOfCustomer',
      params: { numbers: missing.join(', '), customer: customer.code },
    });
  return found;
}

/** The customer's own policy, if it has one. */
export async function customerPolicyId(db: Db, companyId: string, customerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('customers')
    .select('policy_id')
    .where('company_id', '=', companyId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row?.policy_id ?? null;
}

/** The customer's quotes still waiting for an answer (what a quote follow-up is about). */
export async function pendingQuoteIds(db: Db, companyId: string, customerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('quotes')
    .select('id')
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'pending')
    .execute();
  return rows.map((r) => r.id);
}

/** The customer's invoices among these ids (any number of them, one query); an id not its own is left out. */
export async function customerInvoicesByIds(
  db: Db,
  companyId: string,
  customerId: string,
  ids: readonly string[],
): Promise<{ id: string; number: string; due_date: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('invoices')
    .select(['id', 'number', 'due_date'])
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where(inIds(db, 'id', ids))
    .execute();
}

/** The numbers of the invoices with these ids, in no particular order. */
export async function invoiceNumbersByIds(db: Db, companyId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('invoices')
    .select('number')
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', ids))
    .execute();
  return rows.map((r) => r.number);
}

/** The reminders these invoices received (each level and the day it was sent). */
export async function reminderRows(
  db: Db,
  companyId: string,
  invoiceIds: readonly string[],
): Promise<{ invoice_id: string; level: number; sent_on: string; state: ReminderState }[]> {
  if (invoiceIds.length === 0) return [];
  // A cancelled reminder never left: it is kept for the record but takes no level.
  return db
    .selectFrom('reminders')
    .select(['invoice_id', 'level', 'sent_on', 'state'])
    .where('company_id', '=', companyId)
    .where('state', '<>', 'cancelled')
    .where(inIds(db, 'invoice_id', invoiceIds))
    .execute();
}

/** Invoices by id with what a letter selection needs of them and of their customer. */
export async function selectionRows(
  db: Db,
  companyId: string,
  ids: readonly string[],
): Promise<
  {
    id: string;
    number: string;
    customer_id: string;
    currency: string;
    due_date: string;
    policy_id: string | null;
    sales_rep: string | null;
  }[]
> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select(['i.id', 'i.number', 'i.customer_id', 'i.currency', 'i.due_date', 'c.policy_id', 'c.sales_rep'])
    .where('i.company_id', '=', companyId)
    .where(inIds(db, 'i.id', ids))
    .execute();
}

/** Of these customers, the ids of a représentant's. */
export async function customerIdsOfSalesRep(
  db: Db,
  companyId: string,
  salesRep: string,
  customerIds: readonly string[],
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', customerIds))
    .where('sales_rep', '=', salesRep)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** A recorded communication's customer, level and invoices (by due date, then number), or null when there is none. */
export async function communicationInvoices(
  db: Db,
  companyId: string,
  id: string,
): Promise<{ customerId: string; level: number; reminders: { invoiceId: string; sentOn: string }[] } | null> {
  if (!isId(id)) return null;
  const communication = await db
    .selectFrom('communications')
    .select(['customer_id', 'level'])
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!communication) return null;
  const reminders = await db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['r.invoice_id', 'r.sent_on'])
    .where('r.company_id', '=', companyId)
    .where('r.communication_id', '=', id)
    .where('r.state', '<>', 'cancelled')
    .orderBy('i.due_date')
    .orderBy('i.number')
    .execute();
  return {
    customerId: communication.customer_id,
    level: communication.level,
    reminders: reminders.map((r) => ({ invoiceId: r.invoice_id, sentOn: r.sent_on })),
  };
}

import { sql } from 'kysely';
import type { Instalment } from '../domain/ledger.ts';
import type { Db } from './database.ts';
import { inIds } from './in-list.ts';
import { isOpenInvoice } from './open-invoice.ts';

/** Whose customers a read covers: a restricted collector's représentant, or null for every customer. */
export type Scope = { companyId: string; salesRep: string | null; limit: number };

type Who = { customerId: string; customerCode: string; customerName: string };

function customers(db: Db) {
  return db.selectFrom('customers as c');
}

/** Payment plans the customers asked for that nobody has accepted or refused yet, oldest first. */
export async function pendingScheduleRequests(db: Db, scope: Scope) {
  let query = customers(db)
    .innerJoin('schedule_requests as s', (j) =>
      j.onRef('s.company_id', '=', 'c.company_id').onRef('s.customer_id', '=', 'c.id'),
    )
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 's.company_id').onRef('i.id', '=', 's.invoice_id'))
    .where('c.company_id', '=', scope.companyId)
    .where('s.status', '=', 'pending');
  if (scope.salesRep) query = query.where('c.sales_rep', '=', scope.salesRep);
  return pageWithCount(
    query
      .select(['s.id', 's.customer_id', 'c.code', 'c.name', 'i.number', 'i.currency', 's.instalments', 's.message'])
      .select('s.created_at')
      .orderBy('s.created_at')
      .limit(scope.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    (r) => ({
      ...who(r),
      id: r.id,
      at: r.created_at,
      invoiceNumber: r.number,
      currency: r.currency,
      instalments: JSON.parse(r.instalments) as Instalment[],
      message: r.message,
    }),
  );
}

/**
 * Disputes from the payment page waiting for a collector: the task the page files for each, still open, on an
 * invoice still disputed. A task nobody was given for another reason is not a dispute; a dispute lifted in the
 * workspace leaves the list even if its task was not marked done.
 */
export async function openDisputes(db: Db, scope: Scope) {
  let query = customers(db)
    .innerJoin('customer_activities as a', (j) =>
      j.onRef('a.company_id', '=', 'c.company_id').onRef('a.customer_id', '=', 'c.id'),
    )
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'a.company_id').onRef('i.id', '=', 'a.invoice_id'))
    .where('a.company_id', '=', scope.companyId)
    .where('a.kind', '=', 'task')
    .where('a.done_at', 'is', null)
    .where('a.invoice_id', 'is not', null)
    .where('i.disputed', '=', 1);
  if (scope.salesRep) query = query.where('c.sales_rep', '=', scope.salesRep);
  return pageWithCount(
    query
      .select(['a.id', 'a.customer_id', 'c.code', 'c.name', 'a.body', 'a.due_on', 'a.created_at', 'i.number'])
      .orderBy('a.created_at')
      .limit(scope.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    (r) => ({
      ...who(r),
      id: r.id,
      at: r.created_at,
      text: r.body,
      dueOn: r.due_on,
      invoiceNumber: r.number,
    }),
  );
}

/**
 * "J'ai payé" announcements whose invoices still wait for the money: one stays on the list while any of its
 * invoices carries the announcement (the next payment or credit note clears it).
 */
export async function unconfirmedAnnouncements(db: Db, scope: Scope) {
  let query = customers(db)
    .innerJoin('payment_announcements as p', (j) =>
      j.onRef('p.company_id', '=', 'c.company_id').onRef('p.customer_id', '=', 'c.id'),
    )
    .where('p.company_id', '=', scope.companyId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('invoices as i')
          .select(sql`1`.as('one'))
          .whereRef('i.company_id', '=', 'p.company_id')
          .whereRef('i.customer_id', '=', 'p.customer_id')
          .where('i.payment_announced_on', 'is not', null)
          .where(isOpenInvoice('i')),
      ),
    );
  if (scope.salesRep) query = query.where('c.sales_rep', '=', scope.salesRep);
  const rows = await query
    .select(['p.id', 'p.customer_id', 'c.code', 'c.name', 'p.invoice_ids', 'p.paid_on', 'p.amount', 'p.currency'])
    .select(['p.means', 'p.created_at'])
    .orderBy('p.created_at', 'desc')
    .execute();
  // An announcement is confirmed once none of its own invoices is still announced and open.
  const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.invoice_ids) as string[]))];
  const waiting = new Map<string, string>();
  if (ids.length > 0) {
    const invoices = await db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('company_id', '=', scope.companyId)
      .where(inIds(db, 'id', ids))
      .where('payment_announced_on', 'is not', null)
      .where(isOpenInvoice())
      .execute();
    for (const i of invoices) waiting.set(i.id, i.number);
  }
  const standing = rows
    .map((r) => ({
      ...who(r),
      id: r.id,
      at: r.created_at,
      invoiceNumbers: (JSON.parse(r.invoice_ids) as string[])
        .filter((id) => waiting.has(id))
        .map((id) => waiting.get(id)!),
      paidOn: r.paid_on,
      amount: Number(r.amount),
      currency: r.currency,
      means: r.means,
    }))
    .filter((r) => r.invoiceNumbers.length > 0);
  return { count: standing.length, rows: standing.slice(0, scope.limit) };
}

/**
 * Open invoices a customer promised on the payment page to pay on a day still to come (or today), the nearest
 * first. A promise typed in the workspace (the collector knows it) or a direct debit's hold is not an answer to
 * deal with: only the date the customer gave, while it is still the invoice's promise.
 */
export async function runningPromises(db: Db, scope: Scope & { today: string }) {
  let query = customers(db)
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'c.company_id').onRef('i.customer_id', '=', 'c.id'))
    .where('i.company_id', '=', scope.companyId)
    .where('i.promise_to_pay_date', '>=', scope.today)
    .whereRef('i.portal_promise_date', '=', 'i.promise_to_pay_date')
    .where(isOpenInvoice('i'));
  if (scope.salesRep) query = query.where('c.sales_rep', '=', scope.salesRep);
  return pageWithCount(
    query
      .select(['i.id', 'i.customer_id', 'c.code', 'c.name', 'i.number', 'i.promise_to_pay_date', 'i.currency'])
      .select(['i.total', 'i.allocated', 'i.updated_at'])
      .orderBy('i.promise_to_pay_date')
      .orderBy('i.number')
      .limit(scope.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    (r) => ({
      ...who(r),
      id: r.id,
      at: r.updated_at,
      invoiceNumber: r.number,
      date: r.promise_to_pay_date!,
      balance: Number(r.total) - Number(r.allocated),
      currency: r.currency,
    }),
  );
}

/** The first rows of a list, shaped by `shape`, and how many the whole list holds: read together. */
async function pageWithCount<R, T>(
  page: Promise<R[]>,
  count: Promise<{ n: number } | undefined>,
  shape: (row: R) => T,
): Promise<{ count: number; rows: T[] }> {
  const [rows, all] = await Promise.all([page, count]);
  return { count: Number(all?.n ?? 0), rows: rows.map(shape) };
}

function who(r: { customer_id: string; code: string; name: string }): Who {
  return { customerId: r.customer_id, customerCode: r.code, customerName: r.name };
}

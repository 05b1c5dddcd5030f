import {
  sql,
  type CompiledQuery,
  type Expression,
  type ExpressionBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import { isId } from '../shared/ids.ts';
import { balanceOf, daysOverdue, type Invoice } from '../domain/ledger.ts';
import { addDays, type IsoDate } from '../domain/calendar.ts';

/** The next-action date of an invoice nothing more will happen to (src/dunning/categories.ts). */
const NEVER = '9999-12-31';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { isOpenInvoice } from './open-invoice.ts';
import { isPostgres } from './migrations/column-types.ts';
import { invoiceSearch, type InvoiceSearch } from './invoice-search.ts';
import { unindexed } from './planner-hints.ts';
import { ARRAY_ROWS } from './sqlite-statement-cache.ts';
import { PREPARED } from './pg-prepared.ts';

export type InvoiceListItem = Invoice & {
  customerCode: string;
  customerName: string;
  balance: number;
  daysOverdue: number;
  /** When it was last reminded (« Dernière relance »), null if never. */
  lastReminderOn: IsoDate | null;
  /** The first day it is late (« date de dépassement », J+1). */
  overdueFrom: IsoDate;
  /** When the engine next looks at it (« Prochaine relance »): null when nothing is planned or not yet worked out. */
  nextActionDate: IsoDate | null;
};

export const INVOICE_STATUS_FILTERS = ['open', 'overdue', 'paid', 'cancelled', 'disputed'] as const;
export type InvoiceStatusFilter = (typeof INVOICE_STATUS_FILTERS)[number];

export type InvoiceFilter = {
  /** Only invoices with something left to pay. */
  open?: boolean;
  status?: InvoiceStatusFilter;
  customerCode?: string;
  customerId?: string;
  salesRep?: string;
  /** Only invoices of customers of this sales rep (a collector restricted to its représentant). */
  customerSalesRep?: string;
  dueBefore?: IsoDate;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  /** Only invoices whose balance is exactly this (cents): the invoice a bank credit of that amount may pay. */
  balance?: number;
  /**
   * What a user types in the search box (src/storage/invoice-search.ts): an invoice number starting with
   * it, or a customer whose code or name contains it, case ignored; with a customer filter, any part of
   * that customer's invoice numbers and titles too.
   */
  text?: string;
  /** Date the lateness is counted at (the company's today by default). */
  asOf: IsoDate;
  /**
   * A "Relances" category as cached per invoice (src/dunning/categories.ts): only rows whose cache is
   * valid on `asOf`, so the caller refreshes the stale ones first.
   */
  cachedCategory?: string;
  limit?: number;
  afterNumber?: string;
  /** Keyset order: by number (default) or by another key then number, after `after`; `desc` reverses both. */
  sort?: InvoiceSort;
  desc?: boolean;
  /** The last row's number and, for a sort other than number, its sort key (`dueDate` for the due-date sort). */
  after?: { number: string; dueDate?: IsoDate; value?: string | number };
};

/** The keys the invoice list sorts by, each served by an index of (company_id, key, number). */
export const INVOICE_SORTS = ['number', 'dueDate', 'issueDate', 'total', 'balance'] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];

/** A row's value for the keyset of a sort (what a cursor carries). */
export function sortValue(row: InvoiceListItem, sort: InvoiceSort): string | number {
  if (sort === 'dueDate') return row.dueDate;
  if (sort === 'issueDate') return row.issueDate;
  if (sort === 'total') return row.total;
  if (sort === 'balance') return row.balance;
  return row.number;
}

/** An id that matches no row, for a filter given something that cannot be an id. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** The values a filter binds, by name; a cached query shape binds them in its own order. */
type Values = Record<string, unknown>;
type Bind = (name: string) => never;
type Eb = ExpressionBuilder<Database & { i: Database['invoices']; c: Database['customers'] }, 'i' | 'c'>;

function filterValues(companyId: string, filter: InvoiceFilter): Values {
  const after = filter.after ?? (filter.afterNumber ? { number: filter.afterNumber } : undefined);
  return {
    companyId,
    asOf: filter.asOf,
    customerCode: filter.customerCode,
    customerId: !filter.customerId || isId(filter.customerId) ? filter.customerId || undefined : NO_ID,
    salesRep: filter.salesRep,
    customerSalesRep: filter.customerSalesRep,
    dueBefore: filter.dueBefore,
    dueFrom: filter.dueFrom,
    dueTo: filter.dueTo,
    balance: filter.balance,
    cachedCategory: filter.cachedCategory,
    limit: filter.limit ?? 10_000,
    afterNumber: after?.number,
    afterValue: after?.value ?? after?.dueDate,
  };
}

/** The conditions of a filter; `bind` names each value so that one compiled statement serves every filter of that shape. */
function conditions(
  eb: Eb,
  filter: InvoiceFilter,
  values: Values,
  bind: Bind,
  search: InvoiceSearch | null,
  hint: { openIndex?: boolean; tableScan?: boolean } = {},
): Expression<SqlBool>[] {
  // A unary + keeps SQLite off an index: off the due-date and sales-rep ones, whose sampled statistics make
  // them look cheaper than the open invoices' covering index (every row of theirs is a table read), and off
  // any when a sum reads most of the ledger, which a table scan reads in order instead of row by row.
  const dueDate = unindexed('i.due_date', hint.openIndex ?? false);
  const where: Expression<SqlBool>[] = [eb(unindexed('i.company_id', hint.tableScan ?? false), '=', bind('companyId'))];
  if (filter.open) where.push(isOpenInvoice('i'));
  switch (filter.status) {
    case 'open':
      where.push(isOpenInvoice('i'));
      break;
    case 'overdue':
      where.push(isOpenInvoice('i'), eb(dueDate, '<', bind('asOf')));
      break;
    case 'paid':
      where.push(sql<SqlBool>`i.status = 'issued' and i.allocated >= i.total`);
      break;
    case 'cancelled':
      where.push(sql<SqlBool>`i.status = 'cancelled'`);
      break;
    case 'disputed':
      where.push(isOpenInvoice('i'), sql<SqlBool>`i.disputed = 1`);
      break;
    default:
      break;
  }
  if (values.customerCode) where.push(eb('c.code', '=', bind('customerCode')));
  if (values.customerId) where.push(eb('i.customer_id', '=', bind('customerId')));
  if (values.salesRep) where.push(eb(unindexed('i.sales_rep', hint.openIndex ?? false), '=', bind('salesRep')));
  if (values.customerSalesRep) where.push(eb('c.sales_rep', '=', bind('customerSalesRep')));
  if (values.dueBefore) where.push(eb(dueDate, '<', bind('dueBefore')));
  if (values.dueFrom) where.push(eb(dueDate, '>=', bind('dueFrom')));
  if (values.dueTo) where.push(eb(dueDate, '<=', bind('dueTo')));
  if (values.balance !== undefined) where.push(eb(sql`i.total - i.allocated`, '=', bind('balance')));
  if (values.cachedCategory !== undefined) {
    where.push(
      eb('i.dunning_category', '=', bind('cachedCategory')),
      eb('i.next_action_date', 'is not', null),
      eb('i.category_until', '>', bind('asOf')),
    );
  }
  if (search) where.push(search.condition(eb, bind));
  return where;
}

/**
 * The invoice list is the API's hottest query: building and compiling it with Kysely cost more than SQLite
 * running it. Each shape (which filters are set, sort, dialect) is compiled once with named placeholders
 * in place of the values; a request binds its values in the compiled order.
 */
const SLOT = Symbol('slot');
type Slot = { [SLOT]: string };
const shapes = new Map<string, { compiled: CompiledQuery; names: (string | null)[] }>();
/** Shapes kept at most (page sizes written in the statements multiply them); beyond, they are compiled anew. */
const SHAPES = 2000;

function cached(
  db: Db,
  key: string,
  build: (bind: Bind) => { compile(): CompiledQuery },
): (values: Values) => CompiledQuery {
  const shapeKey = `${isPostgres(db) ? 'pg' : 'sqlite'}|${key}`;
  let shape = shapes.get(shapeKey);
  if (!shape) {
    const compiled = build((name) => ({ [SLOT]: name }) as never).compile();
    shape = {
      compiled,
      names: compiled.parameters.map((p) =>
        typeof p === 'object' && p !== null && SLOT in p ? (p as Slot)[SLOT] : null,
      ),
    };
    if (shapes.size >= SHAPES) shapes.clear();
    shapes.set(shapeKey, shape);
  }
  const { compiled, names } = shape;
  return (values) => ({
    ...compiled,
    parameters: names.map((name, at) => (name === null ? compiled.parameters[at] : values[name])),
  });
}

/** Which conditions a filter has: the same tests as conditions() and listQuery() make. */
function shapeOf(filter: InvoiceFilter, values: Values): string {
  return [
    filter.open ? 'open' : '',
    filter.status ?? '',
    filter.sort ?? 'number',
    filter.desc ? 'desc' : 'asc',
    values.cachedCategory !== undefined ? 'category' : '-',
    ...[
      'customerCode',
      'customerId',
      'salesRep',
      'customerSalesRep',
      'dueBefore',
      'dueFrom',
      'dueTo',
      'afterNumber',
      'afterValue',
    ].map((name) => (values[name] !== undefined && values[name] !== null && values[name] !== '' ? name : '-')),
    values.balance !== undefined ? 'balance' : '-',
  ].join('|');
}

const LIST_COLUMNS = [
  'i.id',
  'i.number',
  'i.customer_id',
  'i.issue_date',
  'i.due_date',
  'i.currency',
  'i.total_excl_tax',
  'i.total',
  'i.allocated',
  'i.title',
  'i.sales_rep',
  'i.status',
  'i.disputed',
  'i.dispute_reason',
  'i.promise_to_pay_date',
  'i.next_action_date',
  'c.code as customer_code',
  'c.name as customer_name',
] as const;

/** The last-reminder date of the row, worked out for the rows of the page only. */
// Read through the (invoice, level) key: 1-4 rows per invoice shown. That key is a partial index (state <>
// 'cancelled'), which SQLite takes only when the query repeats its condition: without it, every row of the
// page read all the company's reminders.
const lastReminderOn = sql<
  string | null
>`(select max(r.sent_on) from reminders as r where r.company_id = i.company_id and r.invoice_id = i.id
  and r.state = 'sent' and r.state <> 'cancelled')`.as('last_reminder_on');

type InvoiceSelect<O> = SelectQueryBuilder<Database & { i: Database['invoices'] }, 'i', O>;

/** The list's order, and with a cursor the keyset condition that starts after it. */
function ordered<O>(
  query: InvoiceSelect<O>,
  filter: InvoiceFilter,
  values: Values,
  bind: Bind,
  fewRows: boolean,
): InvoiceSelect<O> {
  const sort = filter.sort ?? 'number';
  const direction = filter.desc ? 'desc' : 'asc';
  const past = filter.desc ? '<' : '>';
  if (sort === 'number') {
    query = query.orderBy(unindexed('i.number', fewRows), direction);
    if (values.afterNumber) query = query.where('i.number', past, bind('afterNumber'));
    return query;
  }
  const key = sortKey(sort, fewRows);
  query = query.orderBy(key, direction).orderBy('i.number', direction);
  if (values.afterValue !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb(key, past, bind('afterValue')),
        eb.and([eb(key, '=', bind('afterValue')), eb('i.number', past, bind('afterNumber'))]),
      ]),
    );
  }
  return query;
}

/** The list's LIMIT: written in the statement when its size is (writtenLimit), bound otherwise. */
function limitOf(bind: Bind, pageSize: number | undefined) {
  return pageSize === undefined ? bind('limit') : sql.lit(pageSize);
}

function listQuery(
  db: Db,
  filter: InvoiceFilter,
  values: Values,
  bind: Bind,
  search: InvoiceSearch | null,
  pageSize?: number,
) {
  const joined = (from: ReturnType<typeof db.selectFrom<'invoices as i'>>) =>
    from.innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    );
  const page = (query: InvoiceSelect<object>) =>
    (joined(query as never) as unknown as InvoiceSelect<object>).select(LIST_COLUMNS as never).select(lastReminderOn);
  // SQLite must find one customer's (or a search's few candidates') invoices through the customer index and
  // sort them, not walk the number index of the whole company (its statistics can make it pick that); a
  // unary + on the sort column forbids that index.
  const fewRows = Boolean(values.customerCode || values.customerId || search?.narrow) && !isPostgres(db);
  if (!search) {
    const query = page(db.selectFrom('invoices as i'))
      .where((eb) => eb.and(conditions(eb as Eb, filter, values, bind, null)))
      .limit(limitOf(bind, pageSize));
    return ordered(query, filter, values, bind, fewRows);
  }
  // A search first finds the page's invoices, reading only their keys (and the customer when a condition
  // needs it), then reads the rest of those rows alone: the join, the columns and the last reminder are
  // worked out for the rows shown, not for every candidate sorted.
  const key = isPostgres(db) ? 'i.id' : 'i.rowid';
  const needsCustomer = Boolean(values.customerCode || values.customerSalesRep || search.needsCustomer);
  const from = db.selectFrom('invoices as i');
  const keys =
    search.pageKeys && searchOnly(filter, values)
      ? sql`(${search.pageKeys(bind, { desc: Boolean(filter.desc), after: Boolean(values.afterNumber), limit: pageSize })})`
      : ordered(
          ((needsCustomer ? joined(from) : from) as unknown as InvoiceSelect<object>)
            .select(sql.ref(key).as('k'))
            .where((eb) => eb.and(conditions(eb as Eb, filter, values, bind, search)))
            .limit(limitOf(bind, pageSize)),
          filter,
          values,
          bind,
          fewRows,
        );
  // A page's keys (pageKeys) are numbers on PostgreSQL (invoice-search.ts).
  const pageKey = search.pageKeys && searchOnly(filter, values) && isPostgres(db) ? 'i.number' : key;
  const query = page(db.selectFrom('invoices as i'))
    // The keys are the way in: SQLite would otherwise walk the company's invoices and test each against them.
    .where(unindexed('i.company_id', !isPostgres(db)), '=', bind('companyId'))
    .where(sql.ref(pageKey), 'in', keys as never);
  return ordered(query, { ...filter }, {}, bind, !isPostgres(db));
}

/** Whether the search is the list's only condition and the number its order (a page read from indexes alone). */
function searchOnly(filter: InvoiceFilter, values: Values): boolean {
  return (
    (filter.sort ?? 'number') === 'number' &&
    !filter.open &&
    !filter.status &&
    [
      'customerCode',
      'customerId',
      'salesRep',
      'customerSalesRep',
      'dueBefore',
      'dueFrom',
      'dueTo',
      'balance',
      'cachedCategory',
    ].every((name) => values[name] === undefined || values[name] === null || values[name] === '')
  );
}

/** The sort key as an expression; the balance is the indexed expression `total - allocated`. */
function sortKey(sort: Exclude<InvoiceSort, 'number'>, fewRows: boolean): Expression<string> {
  if (sort === 'balance') return fewRows ? sql<string>`+(i.total - i.allocated)` : sql<string>`(i.total - i.allocated)`;
  const column = { dueDate: 'i.due_date', issueDate: 'i.issue_date', total: 'i.total' }[sort];
  return unindexed(column, fewRows);
}

/** A row of the list as an array, in the order of LIST_COLUMNS and then the last reminder. */
type ListRow = [
  id: string,
  number: string,
  customerId: string,
  issueDate: string,
  dueDate: string,
  currency: string,
  totalExclTax: number | null,
  total: number,
  allocated: number,
  title: string | null,
  salesRep: string | null,
  status: string,
  disputed: number,
  disputeReason: string | null,
  promiseToPayDate: string | null,
  nextActionDate: string | null,
  customerCode: string,
  customerName: string,
  lastReminderOn: string | null,
];

/**
 * The page comes back as arrays (ARRAY_ROWS): an object per row built by the driver and then copied into the
 * item cost a tenth of a scattered search page's CPU. A `prepared` statement is a named one on PostgreSQL
 * (pg-prepared.ts).
 */
function arrayRowsOf(query: { compile(): CompiledQuery }, prepared: boolean): { compile(): CompiledQuery } {
  return {
    compile() {
      const compiled = query.compile();
      if (!compiled.sql.startsWith('select ')) return compiled;
      return {
        ...compiled,
        sql: ARRAY_ROWS + (prepared ? PREPARED : '') + compiled.sql.slice('select '.length),
      };
    },
  };
}

/**
 * The page size when it is written in the statement: PostgreSQL's prepared page (priced for that size). SQLite's
 * lists keep a bound LIMIT: written, it saved their re-planning (SQLite reads a bound LIMIT while it plans) but
 * led SQLite to other plans for a customer's invoices: at 1M invoices, 347 instead of 1,612 requests a second and
 * p95 131 instead of 26 ms for `customer=`, 211 instead of 502 for a customer code search (A/B, 2026-12-07).
 * A written size makes a statement per size (a client's few page sizes); anything but a plain count is bound.
 */
function writtenLimit(limit: unknown, written: boolean): number | undefined {
  return written && typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0 ? limit : undefined;
}

export async function listInvoices(db: Db, companyId: string, filter: InvoiceFilter): Promise<InvoiceListItem[]> {
  const values = filterValues(companyId, filter);
  const search = filter.text
    ? await invoiceSearch(db, companyId, filter.text, Boolean(values.customerCode || values.customerId), {
        limit: values.limit as number,
        plain: searchOnly(filter, values),
        after: values.afterNumber as string | undefined,
        desc: filter.desc,
      })
    : null;
  if (search) Object.assign(values, search.values);
  // A search page read by its keys is planned alike whatever its values (its parts are each read through their own
  // index and sorted), so PostgreSQL may keep one plan of it; the other shapes are planned for their values.
  // Its size is written in it, so that the plan kept is priced for a page, not for a tenth of the ledger.
  const prepared = Boolean(search?.pageKeys && searchOnly(filter, values)) && isPostgres(db);
  const pageSize = writtenLimit(values.limit, prepared);
  const compiled = cached(db, `list|${shapeOf(filter, values)}|${search?.shape ?? ''}|${pageSize ?? ''}`, (bind) =>
    arrayRowsOf(listQuery(db, filter, values, bind, search, pageSize), prepared),
  )(values);
  const { rows } = await db.executeQuery<ListRow | Record<string, unknown>>(compiled);
  const items = new Array<InvoiceListItem>(rows.length);
  for (let at = 0; at < rows.length; at++) {
    const row = rows[at]!;
    // A client that does not honour the mark (PostgreSQL outside the pool's patched clients) gives objects.
    const r = (Array.isArray(row) ? row : Object.values(row)) as ListRow;
    const status = r[11] as Invoice['status'];
    const balance = balanceOf({ total: r[7], allocated: r[8], status });
    items[at] = {
      id: r[0],
      number: r[1],
      customerId: r[2],
      issueDate: r[3],
      dueDate: r[4],
      currency: r[5],
      totalExclTax: r[6],
      total: r[7],
      allocated: r[8],
      title: r[9],
      salesRep: r[10],
      status,
      disputed: r[12] === 1,
      disputeReason: r[13],
      promiseToPayDate: r[14],
      customerCode: r[16],
      customerName: r[17],
      balance,
      lastReminderOn: r[18],
      overdueFrom: addDays(r[4], 1),
      nextActionDate: balance > 0 && r[15] !== null && r[15] !== NEVER ? r[15] : null,
      // A settled invoice is no longer late, whatever its due date.
      daysOverdue: balance > 0 ? Math.max(0, daysOverdue(r[4], filter.asOf)) : 0,
    };
  }
  return items;
}

/** Count and sums of everything a filter matches, per currency (excl. tax, incl. tax, balance), as list screens of dunning tools show them. */
export type InvoiceTotals = { currency: string; count: number; totalExclTax: number; total: number; balance: number }[];

/**
 * Without a condition on the customer the join is left out, and a filter on open invoices is summed from
 * their covering index alone (migration 0012) instead of reading a table row per invoice.
 */
export async function invoiceTotals(
  db: Db,
  companyId: string,
  filter: Omit<InvoiceFilter, 'limit' | 'after' | 'afterNumber'>,
  options: { searchCap?: number } = {},
): Promise<InvoiceTotals> {
  const values = filterValues(companyId, filter);
  const search = filter.text
    ? await invoiceSearch(db, companyId, filter.text, Boolean(values.customerCode || values.customerId))
    : null;
  if (search) Object.assign(values, search.values);
  const joined = Boolean(values.customerCode || values.customerSalesRep || search?.needsCustomer);
  const open = Boolean(filter.open || (filter.status && ['open', 'overdue', 'disputed'].includes(filter.status)));
  const sqlite = !isPostgres(db);
  const from = joined
    ? db
        .selectFrom('invoices as i')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
        )
    : db.selectFrom('invoices as i');
  const matching = (from as ReturnType<typeof db.selectFrom<'invoices as i'>>).where((eb) =>
    eb.and(
      conditions(eb as Eb, filter, values, (name) => values[name] as never, search, {
        openIndex: open && sqlite && values.cachedCategory === undefined,
        tableScan:
          sqlite &&
          !open &&
          !search?.narrow &&
          !['customerCode', 'customerId', 'salesRep', 'dueBefore', 'dueFrom', 'dueTo', 'cachedCategory'].some(
            (name) => values[name] !== undefined,
          ),
      }),
    ),
  );
  if (search && options.searchCap !== undefined) return cappedTotals(db, matching, options.searchCap);
  // An open invoice is issued: its balance needs no status, which the open index does not hold.
  const rows = await matching.select(totalsOf('i', open)).groupBy('i.currency').orderBy('i.currency').execute();
  return totalsFrom(rows);
}

/**
 * The totals of a search's first `cap` + 1 matches, in no order: exact up to `cap`, and beyond it only the fact
 * that there are more (a common name matches 200,000 invoices, which no one reads and a sum of which costs
 * seconds). The rows are read through whichever index finds matches soonest.
 */
async function cappedTotals(
  db: Db,
  matching: SelectQueryBuilder<Database & { i: Database['invoices'] }, 'i', object>,
  cap: number,
): Promise<InvoiceTotals> {
  const first = matching
    .select(['i.currency', 'i.total_excl_tax', 'i.total', 'i.allocated', 'i.status'])
    // Written in the statement, as the lists' page size is (writtenLimit): SQLite prepares one with a bound LIMIT
    // again at each run.
    .limit(sql.lit(cap + 1))
    .as('m');
  const rows = await db
    .selectFrom(first)
    .select(totalsOf('m', false))
    .groupBy('m.currency')
    .orderBy('m.currency')
    .execute();
  return totalsFrom(rows);
}

/**
 * Each currency's count and sums over the invoices named `alias` (the table, or a capped set of its rows); the
 * balance counts issued invoices only, unless all are known to be open.
 */
function totalsOf(alias: 'i' | 'm', allOpen: boolean) {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  const balance = allOpen
    ? sql`${ref('total')} - ${ref('allocated')}`
    : sql`case when ${ref('status')} = 'issued' then ${ref('total')} - ${ref('allocated')} else 0 end`;
  return [
    sql<string>`${ref('currency')}`.as('currency'),
    sql<number>`count(*)`.as('n'),
    sql<number>`coalesce(sum(${ref('total_excl_tax')}), 0)`.as('excl'),
    sql<number>`coalesce(sum(${ref('total')}), 0)`.as('total'),
    sql<number>`coalesce(sum(${balance}), 0)`.as('balance'),
  ];
}

function totalsFrom(
  rows: { currency: string; n: number; excl: number; total: number; balance: number }[],
): InvoiceTotals {
  return rows.map((r) => ({
    currency: r.currency,
    count: Number(r.n),
    totalExclTax: Number(r.excl),
    total: Number(r.total),
    balance: Number(r.balance),
  }));
}

import { sql, type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import type { Db } from '../storage/database.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import type { Database } from '../storage/schema.ts';
import { agingBuckets, DEFAULT_BOUNDS, dueDateRanges, type AgingBucket } from './buckets.ts';

export type AgingFilter = {
  date: IsoDate;
  /** Upper bounds of the late columns in days (default 30, 60, 90). */
  bounds?: number[];
  /** The invoice's représentant. */
  salesRep?: string;
  /** Only customers of this représentant (a restricted collector's scope). */
  customerSalesRep?: string;
  customerCode?: string;
};

export type AgingCell = { count: number; balance: number };
export type AgingRow = {
  customerId: string;
  customerCode: string;
  customerName: string;
  salesRep: string | null;
  currency: string;
  count: number;
  balance: number;
  buckets: AgingCell[];
};
export type AgingTotal = { currency: string; count: number; balance: number; buckets: AgingCell[] };
export type AgedBalance = { date: IsoDate; buckets: AgingBucket[]; rows: AgingRow[]; totals: AgingTotal[] };

type Grouped = Record<string, string | number | null>;

/** The company, and the filters, as one condition on invoices `i`. */
function scopeCondition(companyId: string, filter: AgingFilter): RawBuilder<boolean> {
  const parts = [sql`i.company_id = ${companyId}`];
  if (filter.salesRep !== undefined) parts.push(sql`i.sales_rep = ${filter.salesRep}`);
  if (filter.customerSalesRep !== undefined) {
    parts.push(
      sql`i.customer_id in (select id from customers where company_id = ${companyId} and sales_rep = ${filter.customerSalesRep})`,
    );
  }
  if (filter.customerCode !== undefined) {
    parts.push(
      sql`i.customer_id in (select id from customers where company_id = ${companyId} and code = ${filter.customerCode})`,
    );
  }
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

/** `sum(case when <due date in bucket k> …)` for each bucket: one pass, grouped by customer and currency. */
function bucketSums(
  date: IsoDate,
  buckets: AgingBucket[],
  balance: RawBuilder<number>,
): AliasedRawBuilder<unknown, string>[] {
  const perBucket = dueDateRanges(date, buckets).flatMap((range, k) => {
    const cond =
      range.min === null
        ? sql`i.due_date <= ${range.max}`
        : range.max === null
          ? sql`i.due_date >= ${range.min}`
          : sql`i.due_date between ${range.min} and ${range.max}`;
    return [
      sql`sum(case when ${cond} then 1 else 0 end)`.as(`n${k}`),
      sql`sum(case when ${cond} then ${balance} else 0 end)`.as(`a${k}`),
    ];
  });
  return [...perBucket, sql`count(*)`.as('n'), sql`sum(${balance})`.as('b')];
}

/**
 * The aged balance (balance âgée) on `date`: per customer and currency, what was owed that day split by
 * days overdue, with counts, sorted by amount; totals per currency (amounts of different currencies are
 * never added).
 *
 * The balance on D is the invoice's total minus the allocations dated on or before D: a payment or
 * credit note dated after D is ignored. Computed as today's balance plus what was allocated after D, so
 * that for today (no later allocation) only the open invoices are read, from the partial index
 * invoices_open_ix; invoices issued after D and cancelled invoices never count.
 */
export async function agedBalance(db: Db, companyId: string, filter: AgingFilter): Promise<AgedBalance> {
  // The queries below must see one state of the ledger (a payment between them could count twice): one
  // snapshot on PostgreSQL. On SQLite the store turns BEGIN into a write lock, which a report must not take;
  // there the two queries of a past date can, rarely, straddle a payment recorded by another process.
  if (isPostgres(db) && !db.isTransaction) {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => agedBalance(trx, companyId, filter));
  }
  const buckets = agingBuckets(filter.bounds ?? DEFAULT_BOUNDS);
  const { date } = filter;
  const later = db
    .selectFrom('allocations')
    .select(['invoice_id', sql<number>`sum(amount)`.as('s')])
    .where('company_id', '=', companyId)
    .where('date', '>', date)
    .groupBy('invoice_id');
  const anyLater = await db
    .selectFrom('allocations')
    .select('id')
    .where('company_id', '=', companyId)
    .where('date', '>', date)
    .limit(1)
    .executeTakeFirst();

  // The literal `status = 'issued'` and `allocated < total` let SQLite prove the partial index applies.
  const where = scopeCondition(companyId, filter);
  const base = () =>
    db
      .selectFrom('invoices as i')
      .where(where)
      .where(sql<boolean>`i.status = 'issued'`)
      .where('i.issue_date', '<=', date);

  // Grouped per customer and currency in SQL, then named by a join on the few grouped rows.
  const named = (grouped: SelectQueryBuilder<Database, never, Grouped>) =>
    db
      .selectFrom(grouped.as('g'))
      .innerJoin('customers as c', (j) =>
        j.on('c.company_id', '=', companyId).onRef('c.id', '=', 'g.customer_id' as never),
      )
      .selectAll('g' as never)
      .select(['c.code', 'c.name', 'c.sales_rep'])
      .orderBy(sql`g.b`, 'desc')
      .orderBy('c.code')
      .orderBy(sql`g.currency`)
      .execute() as Promise<Grouped[]>;
  const queries: Promise<Grouped[]>[] = [];
  if (!anyLater) {
    queries.push(
      named(
        base()
          .whereRef('i.allocated', '<', 'i.total')
          .select([
            'i.customer_id',
            'i.currency',
            ...bucketSums(date, buckets, sql<number>`i.total - i.allocated`),
          ] as never)
          .groupBy(['i.customer_id', 'i.currency']) as never,
      ),
    );
  } else {
    // Open today, plus back what was allocated after D …
    queries.push(
      named(
        base()
          .whereRef('i.allocated', '<', 'i.total')
          .leftJoin(later.as('l'), 'l.invoice_id', 'i.id')
          .select([
            'i.customer_id',
            'i.currency',
            ...bucketSums(date, buckets, sql<number>`i.total - i.allocated + coalesce(l.s, 0)`),
          ] as never)
          .groupBy(['i.customer_id', 'i.currency']) as never,
      ),
    );
    // … and settled today but still owed on D, reached from the later allocations (the cross join keeps SQLite
    // from choosing to read every invoice instead).
    queries.push(
      named(
        db
          .selectFrom(later.as('l'))
          .crossJoin('invoices as i')
          .where('i.company_id', '=', companyId)
          .whereRef('i.id', '=', 'l.invoice_id')
          .where(where)
          .where(sql<boolean>`i.status = 'issued'`)
          .where('i.issue_date', '<=', date)
          .whereRef('i.allocated', '=', 'i.total')
          .select(['i.customer_id', 'i.currency', ...bucketSums(date, buckets, sql<number>`l.s`)] as never)
          .groupBy(['i.customer_id', 'i.currency']) as never,
      ),
    );
  }
  const results = await Promise.all(queries);
  return assemble(date, buckets, results.length === 1 ? results[0]! : results.flat(), results.length === 1);
}

/**
 * Rows of the grouped queries into the report; `sorted` when they come from one query, unique and in order.
 * A 1M-invoice ledger gives ~90,000 rows: keys are computed once and each row is built in one go.
 */
function assemble(date: IsoDate, buckets: AgingBucket[], groups: Grouped[], sorted: boolean): AgedBalance {
  const size = buckets.length;
  const counts = Array.from({ length: size }, (_, k) => `n${k}`);
  const amounts = Array.from({ length: size }, (_, k) => `a${k}`);
  // PostgreSQL's sum() of bigint is numeric, parsed to a number by the store; SQLite's is already one.
  const num = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0));
  const byKey = new Map<string, AgingRow>();
  const list: AgingRow[] = [];
  const sums = new Map<string, number[]>(); // per currency: count, balance, then count and balance per bucket
  let currency = '';
  let sum: number[] = [];
  for (const g of groups) {
    if (g.currency !== currency) {
      currency = g.currency as string;
      sum = sums.get(currency) ?? [];
      if (sum.length === 0) sums.set(currency, (sum = new Array<number>(2 + 2 * size).fill(0)));
    }
    const cells = new Array<AgingCell>(size);
    for (let k = 0; k < size; k++) {
      const count = num(g[counts[k]!]);
      const balance = num(g[amounts[k]!]);
      cells[k] = { count, balance };
      sum[2 + 2 * k] = sum[2 + 2 * k]! + count;
      sum[3 + 2 * k] = sum[3 + 2 * k]! + balance;
    }
    const count = num(g.n);
    const balance = num(g.b);
    sum[0] = sum[0]! + count;
    sum[1] = sum[1]! + balance;
    const known = sorted ? undefined : byKey.get(`${g.customer_id} ${currency}`);
    if (known) {
      known.count += count;
      known.balance += balance;
      cells.forEach((c, k) => {
        known.buckets[k]!.count += c.count;
        known.buckets[k]!.balance += c.balance;
      });
      continue;
    }
    const row: AgingRow = {
      customerId: g.customer_id as string,
      customerCode: g.code as string,
      customerName: g.name as string,
      salesRep: g.sales_rep as string | null,
      currency,
      count,
      balance,
      buckets: cells,
    };
    list.push(row);
    if (!sorted) byKey.set(`${row.customerId} ${currency}`, row);
  }
  // Largest balance first, then by code and currency (the SQL orders a single query's rows the same way).
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (!sorted)
    list.sort(
      (a, b) => b.balance - a.balance || order(a.customerCode, b.customerCode) || order(a.currency, b.currency),
    );
  const totals = [...sums]
    .sort((a, b) => order(a[0], b[0]))
    .map(([code, t]) => ({
      currency: code,
      count: t[0]!,
      balance: t[1]!,
      buckets: buckets.map((_, k) => ({ count: t[2 + 2 * k]!, balance: t[3 + 2 * k]! })),
    }));
  return { date, buckets, rows: list, totals };
}

import { sql, type Kysely } from 'kysely';
import type { Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';
import type { SearchOptions } from './invoice-search.ts';
import { sortsByCodePoint } from './migrations/0038-number-prefix-collation.ts';

// What a search needs to know of the database it reads: how text sorts there, and how large the ledger is.

/** How many invoices a ledger holds and how many a customer has on average, from the planner's statistics. */
export type LedgerSize = { invoices: number; perCustomer: number };
const sizes = new WeakMap<object, { at: number; size: Promise<LedgerSize> }>();
const SIZE_TTL_MS = 5 * 60_000;
/** Without statistics: a mid-sized ledger, so that a search picks the plan that is never very wrong. */
const UNKNOWN_SIZE: LedgerSize = { invoices: 200_000, perCustomer: 10 };

/**
 * Row counts of the two tables as the planner's statistics have them (SQLite's sampled per-index figures are
 * too rough for the invoices of one customer; the table sizes are not).
 */
async function readLedgerSize(db: Db): Promise<LedgerSize> {
  try {
    const { rows } = isPostgres(db)
      ? await sql<{ tbl: string; n: number | string }>`select relname as tbl, reltuples as n from pg_class
          where oid in (to_regclass('invoices'), to_regclass('customers'))`.execute(db)
      : await sql<{ tbl: string; n: number | string }>`select tbl, max(cast(stat as integer)) as n
          from sqlite_stat1 where tbl in ('invoices', 'customers') group by tbl`.execute(db);
    const count = (table: string) => Number(rows.find((r) => r.tbl === table)?.n ?? 0);
    const invoices = count('invoices');
    const customers = count('customers');
    if (!(invoices > 0) || !(customers > 0)) return UNKNOWN_SIZE;
    return { invoices, perCustomer: Math.max(1, invoices / customers) };
  } catch {
    return UNKNOWN_SIZE; // no statistics table yet
  }
}

export function ledgerSize(db: Db): Promise<LedgerSize> {
  const now = Date.now();
  let known = sizes.get(db);
  if (!known || now - known.at > SIZE_TTL_MS) {
    known = { at: now, size: readLedgerSize(db) };
    sizes.set(db, known);
  }
  return known.size;
}

/**
 * Whether gathering `candidates` invoices and sorting them costs less than walking the list's order until a page
 * of `limit` is found, about limit × invoices / candidates rows. Measured on SQLite, a candidate gathered from the
 * indexes alone (a search sorted by number and filtered by nothing else) costs a third of a row walked; one whose
 * table row is read for the other conditions, about one and a half. PostgreSQL's indexes do not carry the row's
 * id, so each candidate is a table row read out of order, while the walk reads the table in the order invoices
 * were written: measured on 1M invoices, 9,600 candidates read 12,500 pages where a walk past 5,900 invoices read
 * 1,000, about eight times the cost per row; four keeps to gathering for up to some 350 customers' invoices.
 */
export function gatherIsCheaper(candidates: number, size: LedgerSize, options: SearchOptions, pg: boolean): boolean {
  if (options.limit === undefined) return true; // totals read every candidate either way
  const cost = pg ? 4 : options.plain ? 0.3 : 1.5;
  return candidates * candidates * cost <= Math.max(options.limit, 1) * size.invoices || candidates <= 200;
}

/** The smallest string above every string starting with `prefix`, in code point order (null: none). */
export function pastPrefix(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}

const codePointOrder = new WeakMap<object, Promise<boolean>>();

/**
 * Whether text comparisons follow code points, so that a prefix is an index range. SQLite's BINARY
 * collation does; PostgreSQL does under the C collations, not under a language's (en_US sorts 'FC-1'
 * with 'FC1'), where LIKE 'prefix%' is used instead.
 */
export function comparesByCodePoint(db: Db): Promise<boolean> {
  if (!isPostgres(db)) return Promise.resolve(true);
  let known = codePointOrder.get(db);
  if (!known) {
    known = sortsByCodePoint(db as Kysely<unknown>);
    codePointOrder.set(db, known);
  }
  return known;
}

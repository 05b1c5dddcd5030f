import { sql } from 'kysely';
import type { Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';
import { SEARCH_WRITERS_LOCK } from './migrations/0054-search-writers.ts';
import { sqliteSearchVersion } from './search-writes.ts';
import { PREPARED } from './pg-prepared.ts';

/**
 * What a name search found, kept while the database holds exactly what it held then. Finding the customers
 * whose name contains a common surname (1,000 to 2,000 of 100,000) and the first page of their 10,000 to 20,000
 * invoices in number order costs several milliseconds however it is read, many times the rest of a request;
 * the same search repeated before anything is written is answered from here, then its page read by key.
 */
export type SearchEntry = {
  version: string;
  /** Ids of the customers whose search text contains the text. */
  found: { id: string }[];
  /**
   * Their invoices in number order (code point order, the database's own for these numbers): the key (rowid
   * on SQLite; on PostgreSQL the number itself, unique in the company) and the number. Filled when the same
   * search comes back unchanged; null when there are too many to keep.
   */
  invoices?: { keys: (number | string)[]; numbers: string[] } | null;
};

/**
 * A value equal only while nothing a search reads was written. SQLite: this connection's writes to customers and
 * invoices that can change a search (counted by search-writes.ts, never going back, even on a rollback) and
 * `data_version`, which moves when another connection (a CLI import beside `relance serve`) commits. PostgreSQL:
 * the sequence that every statement writing customers or invoices steps (migration 0045), which moves when the
 * statement runs, and the transactions still holding the lock such a statement takes before it steps it
 * (migration 0054): one that wrote before the sequence was read holds it until its commit is visible, and its end
 * changes the list. Writes that change no search (an API token's last use, audit rows, payments, categories) and,
 * on PostgreSQL, transactions elsewhere on the server leave the value as it was. The locks are read every time:
 * the snapshot cannot tell that nothing is in progress, since its xmax follows the last completed transaction and
 * the newest running one (the writer, on a quiet server) is then missing from its list.
 * Read before what it labels, so that a write in between changes it for good and the entry is never found again.
 * Null inside a transaction (what it wrote may still be undone) or when it cannot be read: the search is then
 * worked out afresh.
 */
export async function dataVersion(db: Db): Promise<string | null> {
  if (db.isTransaction) return null;
  try {
    if (!isPostgres(db)) return await sqliteSearchVersion(db);
    const { rows } = await sql<{
      v: string;
    }>`select ${sql.raw(PREPARED)}(select last_value || '.' || is_called from search_data_version)
      || ':' || coalesce((select string_agg(virtualtransaction, ',' order by virtualtransaction) from pg_locks
        where locktype = 'advisory' and classid = ${sql.lit(SEARCH_WRITERS_LOCK)} and objsubid = 2
        and objid = cast(to_regclass('search_data_version') as oid)
        and database = (select oid from pg_database where datname = current_database())), '') as v`.execute(db);
    return rows[0]?.v ?? null;
  } catch {
    return null;
  }
}

/** At most this many searches kept per database, the least recently used dropped first. */
const ENTRIES = 64;
/** Invoices beyond this many are not kept for one search (a few megabytes at most). */
export const MAX_CACHED_INVOICES = 100_000;
const stores = new WeakMap<object, Map<string, SearchEntry>>();

function storeOf(db: Db): Map<string, SearchEntry> {
  let store = stores.get(db);
  if (!store) {
    store = new Map();
    stores.set(db, store);
  }
  return store;
}

export function cachedSearch(db: Db, key: string, version: string | null): SearchEntry | undefined {
  if (version === null) return undefined;
  const store = storeOf(db);
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.version !== version) {
    store.delete(key);
    return undefined;
  }
  // Most recently used last.
  store.delete(key);
  store.set(key, entry);
  return entry;
}

export function keepSearch(db: Db, key: string, entry: SearchEntry): void {
  const store = storeOf(db);
  store.delete(key);
  store.set(key, entry);
  while (store.size > ENTRIES) store.delete(store.keys().next().value!);
}

/** Every invoice of these customers in number order, from the customer index (company, customer, number). */
export async function readCustomersInvoices(
  db: Db,
  companyId: string,
  customerIds: string[],
): Promise<{ keys: (number | string)[]; numbers: string[] }> {
  const pg = isPostgres(db);
  const ids = pg
    ? sql`(select unnest(cast(${customerIds} as uuid[])))`
    : sql`(select value from json_each(${JSON.stringify(customerIds)}))`;
  // SQLite sorts the candidates (+number) instead of walking the whole number index to find them. PostgreSQL
  // reads the numbers alone, from the customer index without a table row (its index has no row id: reading the
  // ids as well read a table row per invoice, twice the cost for a common name's 10,000 to 20,000 invoices); the
  // page is then found by number.
  if (pg) {
    const { rows } = await sql<{ number: string }>`select number from invoices
      where company_id = ${companyId} and customer_id in ${ids} order by number`.execute(db);
    const numbers = rows.map((r) => r.number);
    return { keys: numbers, numbers };
  }
  const { rows } = await sql<{ k: number; number: string }>`select rowid as k, number from invoices
    where company_id = ${companyId} and customer_id in ${ids} order by +number`.execute(db);
  return { keys: rows.map((r) => r.k), numbers: rows.map((r) => r.number) };
}

/** Code point order, as SQLite's BINARY and PostgreSQL's C collations compare (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a].map((ch) => ch.codePointAt(0)!);
  const y = [...b].map((ch) => ch.codePointAt(0)!);
  for (let at = 0; at < Math.min(x.length, y.length); at++) if (x[at] !== y[at]) return x[at]! - y[at]!;
  return x.length - y.length;
}

/** The keys of the first `limit` invoices after `after` (a number) in that direction. */
export function pageOf(
  invoices: { keys: (number | string)[]; numbers: string[] },
  options: { limit: number; after?: string; desc: boolean },
): (number | string)[] {
  const { keys, numbers } = invoices;
  // The first position whose number is above `after` (ascending), or the last below it (descending).
  let low = 0;
  let high = numbers.length;
  if (options.after !== undefined) {
    const after = options.after;
    while (low < high) {
      const mid = (low + high) >> 1;
      const cmp = compareCodePoints(numbers[mid]!, after);
      if (options.desc ? cmp < 0 : cmp <= 0) low = mid + 1;
      else high = mid;
    }
  } else low = options.desc ? numbers.length : 0;
  return options.desc
    ? keys.slice(Math.max(0, low - options.limit), low).reverse()
    : keys.slice(low, low + options.limit);
}

/**
 * The kept search's invoices, read on its second use while nothing was written (a search typed once costs no
 * more than before); null when there would be too many to keep.
 */
export async function keptInvoices(
  db: Db,
  companyId: string,
  kept: SearchEntry,
  perCustomer: number,
): Promise<SearchEntry['invoices'] | null> {
  if (kept.invoices !== undefined) return kept.invoices;
  if (kept.found.length === 0 || kept.found.length * perCustomer > MAX_CACHED_INVOICES) return null;
  const invoices = await readCustomersInvoices(
    db,
    companyId,
    kept.found.map((c) => c.id),
  );
  kept.invoices = invoices.keys.length <= MAX_CACHED_INVOICES ? invoices : null;
  return kept.invoices;
}

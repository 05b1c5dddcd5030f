import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { isPostgres } from './migrations/column-types.ts';

/** The tables a bulk load fills: those whose row counts the planner must know to choose an index over a scan. */
export const LEDGER_TABLES = ['customers', 'contacts', 'invoices', 'payments', 'credit_notes', 'allocations'] as const;
export type StatisticsTable = (typeof LEDGER_TABLES)[number] | 'quotes' | 'bank_lines' | 'reminders';

/**
 * Below this many rows written, a write leaves the statistics as they were (PostgreSQL's autovacuum, when on,
 * and the next bulk write catch up); analysing a million-row ledger costs a few hundred milliseconds, which a
 * one-invoice upload should not pay.
 */
export const BULK_ROWS = 1000;

/**
 * From this many rows written, PostgreSQL gets `VACUUM (ANALYZE)` instead of `ANALYZE` alone. Rows loaded in
 * bulk are not in the visibility map until a vacuum runs (autovacuum may be off, or come much later): an
 * index-only scan then visits the table for every row, and the first readers set each row's hint bits and write
 * the pages again. The vacuum reads only the pages not yet all-visible, so after a small import into a large
 * vacuumed ledger it costs little; below this many rows it is left to autovacuum and the next bulk write.
 */
export const VACUUM_ROWS = 10_000;

/**
 * A table whose rows changed since its last analysis (this write included) are fewer than this share of it keeps
 * its statistics: PostgreSQL's own rule for autovacuum (autovacuum_analyze_scale_factor, 0.1 by default). The
 * statistics of a ledger of which a twelfth of the invoices got paid still describe it, and analysing the invoices
 * cost more than the rest of a 4,000-row credit-note import (0.18 s of server CPU at 50,000 invoices).
 */
export const ANALYZE_SHARE = 0.1;

/**
 * Brings the planner's statistics (and, after a large write on PostgreSQL, the visibility map) up to date after a
 * bulk write, outside its transaction. PostgreSQL has none for rows loaded since the last ANALYZE (autovacuum may
 * be off, or not have run yet): a list of overdue invoices then scans the whole table (measured: 856 ms a request
 * instead of 4.6 ms). SQLite gets `pragma optimize` with a bounded analysis, what it advises after a change in
 * the size of tables. Tables without any statistics are analysed whatever the number of rows written; on
 * PostgreSQL the others are when the write (with what changed before it) reaches ANALYZE_SHARE of their rows.
 */
export async function refreshStatistics(
  db: Kysely<Database>,
  tables: readonly StatisticsTable[],
  rowsWritten: number,
): Promise<void> {
  if (!isPostgres(db)) {
    if (rowsWritten < BULK_ROWS) return;
    await db.connection().execute(async (connection) => {
      await sql`pragma analysis_limit = 1000`.execute(connection);
      await sql`pragma optimize = 0x10002`.execute(connection);
      if (tables.includes('customers')) await mergeCustomerSearch(connection);
    });
    return;
  }
  const chosen =
    rowsWritten >= BULK_ROWS ? await staleTables(db, tables, rowsWritten) : await withoutStatistics(db, tables);
  if (chosen.length === 0) return;
  const names = sql.join(chosen.map((t) => sql.table(t)));
  // VACUUM cannot run inside a transaction block: a caller still in one gets the statistics only.
  if (rowsWritten >= VACUUM_ROWS && !db.isTransaction) await sql`vacuum (analyze) ${names}`.execute(db);
  else await sql`analyze ${names}`.execute(db);
}

/**
 * Inside a bulk write's transaction on PostgreSQL: keeps any other session from analysing `tables` until it commits
 * (ANALYZE and autovacuum take this lock too, so they wait or skip). Another session's ANALYZE does not see rows not
 * yet committed: it records a table being loaded as empty but many pages long, and the planner then prices every
 * index alike for the foreign-key checks of the rows that follow, picking one that scans the company's rows for each
 * (found: a 40,000-payment import taking over 120 s of server CPU instead of 1.8 s). Writes by other sessions are
 * not held; two bulk writes into the same tables take turns. Small writes do not take it.
 */
export async function holdStatistics(
  trx: Kysely<Database>,
  tables: readonly StatisticsTable[],
  rowsWritten: number,
): Promise<void> {
  if (!isPostgres(trx) || rowsWritten < BULK_ROWS || tables.length === 0) return;
  await sql`lock table ${sql.join(tables.map((t) => sql.table(t)))} in share update exclusive mode`.execute(trx);
}

/**
 * The tables (of the current schema) without statistics, or whose changes since their last analysis reach
 * ANALYZE_SHARE of their rows: as the statistics collector counts them (this write included once it has reached
 * the collector, which it may not have yet), or at least `rowsWritten`.
 */
async function staleTables(db: Kysely<Database>, tables: readonly string[], rowsWritten: number): Promise<string[]> {
  const { rows } = await sql<{ name: string; tuples: number; changed: number; analysed: boolean }>`select
      c.relname as name, c.reltuples::float8 as tuples, coalesce(s.n_mod_since_analyze, 0)::float8 as changed,
      exists (select 1 from pg_statistic st where st.starelid = c.oid) as analysed
    from pg_class c left join pg_stat_all_tables s on s.relid = c.oid
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname in (${sql.join([...tables])})`.execute(
    db,
  );
  const stale = new Set(
    rows.filter((r) => !r.analysed || Math.max(r.changed, rowsWritten) >= ANALYZE_SHARE * r.tuples).map((r) => r.name),
  );
  // In the caller's order, which is the order in which they are analysed.
  return tables.filter((t) => stale.has(t));
}

/** The tables (of the current schema) that hold rows but have never been analysed (PostgreSQL). */
async function withoutStatistics(db: Kysely<Database>, tables: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname in (${sql.join([...tables])})
      and not exists (select 1 from pg_statistic s where s.starelid = c.oid)`.execute(db);
  const empty: string[] = [];
  for (const { name } of rows) {
    const { rows: any } = await sql<{ one: number }>`select 1 as one from ${sql.table(name)} limit 1`.execute(db);
    if (any.length > 0) empty.push(name);
  }
  return empty;
}

/**
 * At the start of a server: the large tables are analysed if they have rows and no statistics (a database
 * loaded by another tool, or by a version that did not analyse), and SQLite gets its bounded `pragma optimize`.
 * Returns the tables analysed on PostgreSQL.
 */
export async function gatherMissingStatistics(db: Kysely<Database>): Promise<string[]> {
  if (!isPostgres(db)) {
    // Without statistics SQLite may read a whole index to avoid a sort; a bounded ANALYZE (what SQLite
    // advises for long-lived connections) lets it pick the right index for each list filter.
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`pragma optimize = 0x10002`.execute(db);
    return [];
  }
  const missing = await withoutStatistics(db, [...LEDGER_TABLES, 'quotes', 'bank_lines']);
  // A table a bulk load is writing (holdStatistics) is left to that load, which analyses it once committed: a server
  // starting meanwhile does not wait for it.
  if (missing.length > 0) await sql`analyze (skip_locked) ${sql.join(missing.map((t) => sql.table(t)))}`.execute(db);
  return missing;
}

/**
 * Merges SQLite's trigram index of the customers (migration 0018) into one segment. A bulk load writes it through
 * triggers, a customer at a time, leaving it in the many segments FTS5 merges only part way (migration 0055 merged
 * the existing ones once); a search then reads each of its trigrams in every segment. Merged, a customer code's search cost half as much (0.45 to 0.20 ms at
 * 100,000 customers) for 0.2 s of CPU once per load.
 */
export async function mergeCustomerSearch(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) return;
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from sqlite_master where type = 'table' and name = 'customers_search'`.execute(db);
  if (!rows[0]?.n) return;
  await sql`insert into customers_search (customers_search) values ('optimize')`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { isPostgres } from './migrations/column-types.ts';

/** The tables a bulk load fills: those whose row counts the planner must know to choose an index over a scan. */
export const LEDGER_TABLES = ['customers', 'contacts', 'invoices', 'payments', 'credit_notes', 'allocations'] as const;
export type StatisticsTable = (typeof LEDGER_TABLES)[number] | 'quotes' | 'bank_lines';

/**
 * Below this many rows written, a write leaves the statistics as they were (PostgreSQL's autovacuum, when on,
 * and the next bulk write catch up); analysing a million-row ledger costs a few hundred milliseconds, which a
 * one-invoice upload should not pay.
 */
export const BULK_ROWS = 1000;

/**
 * Brings the planner's statistics up to date after a bulk write, outside its transaction. PostgreSQL has none
 * for rows loaded since the last ANALYZE (autovacuum may be off, or not have run yet): a list of overdue invoices
 * then scans the whole table (measured: 856 ms a request instead of 4.6 ms). SQLite gets `pragma optimize`
 * with a bounded analysis, what it advises after a change in the size of tables. Tables without any statistics
 * are analysed whatever the number of rows written.
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
    });
    return;
  }
  const chosen = rowsWritten >= BULK_ROWS ? [...tables] : await withoutStatistics(db, tables);
  if (chosen.length > 0) await sql`analyze ${sql.join(chosen.map((t) => sql.table(t)))}`.execute(db);
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
  if (missing.length > 0) await sql`analyze ${sql.join(missing.map((t) => sql.table(t)))}`.execute(db);
  return missing;
}

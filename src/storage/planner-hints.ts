import { sql, type Expression, type RawBuilder } from 'kysely';
import { isPostgres, type AnyDb } from './migrations/column-types.ts';

/**
 * SQLite's planner, with the statistics `pragma optimize` leaves, picks an index that starts with company_id
 * whenever a query says `company_id = ?`, then fetches one table row per entry. Reports that read most of a
 * ledger need another access path; PostgreSQL's planner finds it alone, so these hints are empty there.
 */

/**
 * The tenant column of a query that sums over most of a company's invoices: a unary `+` keeps the comparison
 * and makes the column useless to an index, so SQLite reads the table in order (measured on a 1M-invoice
 * ledger: the year's sales in 0.3-1.1 s instead of 2.7-3.6 s through invoices_customer_ix).
 */
export function tenantForFullScan(db: AnyDb, column: string): Expression<string> {
  return unindexed(column, !isPostgres(db));
}

/** A column SQLite may not use an index for when `hint` holds (a unary `+`: same value, no index); the plain column otherwise. */
export function unindexed(column: string, hint: boolean): Expression<string> {
  return hint ? sql<string>`+${sql.ref(column)}` : sql.ref<string>(column);
}

/** `indexed by <index>` after a table name on SQLite (an error there if the index cannot serve the query). */
export function indexedBy(db: AnyDb, index: string): RawBuilder<unknown> {
  return isPostgres(db) ? sql`` : sql`indexed by ${sql.id(index)}`;
}

import { sql, type Expression } from 'kysely';
import { ARRAY_ROWS } from './sqlite-statement-cache.ts';

const MARK = sql.raw(ARRAY_ROWS.slice('select '.length, -1));

/**
 * Runs a select and returns each row as an array of its values in the order of the select list. On SQLite
 * the driver builds the arrays itself (no object per row); PostgreSQL rows are turned into arrays here, so
 * callers read both the same way. Column aliases must be distinct, as they are object keys on PostgreSQL.
 */
export async function arrayRows(query: {
  modifyFront(modifier: Expression<unknown>): { execute(): Promise<unknown[]> };
}): Promise<unknown[][]> {
  const rows = (await query.modifyFront(MARK).execute()) as unknown[];
  if (rows.length === 0 || Array.isArray(rows[0])) return rows as unknown[][];
  return rows.map((row) => Object.values(row as Record<string, unknown>));
}

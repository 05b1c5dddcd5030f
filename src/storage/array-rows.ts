import type pg from 'pg';
import { sql, type Expression } from 'kysely';
import { ARRAY_ROWS } from './sqlite-statement-cache.ts';

const MARK = sql.raw(ARRAY_ROWS.slice('select '.length, -1));

/**
 * Runs a select and returns each row as an array of its values in the order of the select list. On SQLite
 * the driver builds the arrays itself (no object per row); on PostgreSQL the pooled clients do the same for
 * marked statements (pgArrayRows). Column aliases must still be distinct, for a client that was not patched.
 */
export async function arrayRows(query: {
  modifyFront(modifier: Expression<unknown>): { execute(): Promise<unknown[]> };
}): Promise<unknown[][]> {
  const rows = (await query.modifyFront(MARK).execute()) as unknown[];
  if (rows.length === 0 || Array.isArray(rows[0])) return rows as unknown[][];
  return rows.map((row) => Object.values(row as Record<string, unknown>));
}

type Query = (text: unknown, values?: unknown) => Promise<unknown>;
const PATCHED = Symbol('array rows');

/**
 * Makes a pooled client return the rows of statements marked by arrayRows as arrays (pg's `rowMode`), as SQLite
 * does: a plan reads hundreds of thousands of rows, which were built as objects and then copied into arrays.
 * Kysely hands the client only text and values, hence the mark in the text.
 */
export function pgArrayRows(client: pg.PoolClient): void {
  const target = client as unknown as { query: Query; [PATCHED]?: true };
  if (target[PATCHED]) return;
  target[PATCHED] = true;
  const query = target.query.bind(client) as Query;
  target.query = ((text: unknown, values?: unknown) =>
    typeof text === 'string' && text.startsWith(ARRAY_ROWS)
      ? query({ text, values, rowMode: 'array' })
      : query(text, values)) as Query;
}

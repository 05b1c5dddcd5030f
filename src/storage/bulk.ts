import { CompiledQuery } from 'kysely';
import type { Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';

// Each engine caps the parameters of one statement (SQLite 32766, PostgreSQL 65535).
const MAX_PARAMETERS = 30_000;
const statementCache = new Map<string, string>();

function insertSql(pg: boolean, table: string, columns: readonly string[], rowCount: number): string {
  const key = `${pg}|${table}|${columns.join(',')}|${rowCount}`;
  let text = statementCache.get(key);
  if (!text) {
    let n = 0;
    const tuples: string[] = [];
    for (let r = 0; r < rowCount; r++) {
      const cells = columns.map(() => (pg ? `$${++n}` : '?'));
      tuples.push(`(${cells.join(',')})`);
    }
    text = `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`;
    if (statementCache.size > 200) statementCache.clear();
    statementCache.set(key, text);
  }
  return text;
}

/**
 * Multi-row insert for imports and the demo generator: one statement per few hundred rows, its SQL
 * built once per shape, because building a query object per row would cost more than the insert.
 * `rows` hold values in the order of `columns`.
 */
export async function insertRows(db: Db, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const pg = isPostgres(db);
  if (!pg) {
    const parameters: unknown[] = [];
    for (const row of rows) for (const value of row) parameters.push(value);
    const single = insertSql(false, table, columns, 1);
    await db.executeQuery(CompiledQuery.raw(`/*repeat ${columns.length}*/ ${single}`, parameters));
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    for (const row of slice) for (const value of row) parameters.push(value);
    await db.executeQuery(CompiledQuery.raw(insertSql(pg, table, columns, slice.length), parameters));
  }
}

import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
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

type IndexDefinition = { name: string; sql: string };

/**
 * For a load that brings more rows than `table` holds (SQLite): drops the table's own indexes and returns
 * how to build them again. SQLite builds an index from sorted data several times faster than it inserts
 * a million keys into it one by one (measured in bench/import.ts). The definitions are read back from the
 * database, so the rebuilt indexes are those the migrations made. The indexes of primary keys and unique
 * constraints stay: they check the rows as they come. Call inside a transaction: DDL is transactional in
 * SQLite, so a rollback or a crash before the commit leaves every index as it was.
 */
export async function suspendIndexes(trx: Transaction<Database>, table: string, incoming: number): Promise<() => Promise<void>> {
  if (isPostgres(trx) || incoming === 0) return async () => {};
  // Counting at most incoming + 1 rows: a small file never pays for counting a large table.
  const [{ n }] = (await sql<{ n: number }>`select count(*) as n from (select 1 from ${sql.table(table)} limit ${incoming + 1})`
    .execute(trx)).rows as [{ n: number }];
  if (n >= incoming) return async () => {};
  const { rows: indexes } = await sql<IndexDefinition>`select name, sql from sqlite_master
    where type = 'index' and tbl_name = ${table} and sql is not null order by name`.execute(trx);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
  return async () => {
    for (const index of indexes) await sql.raw(index.sql).execute(trx);
  };
}

// The 64 MiB of an ordinary connection hold the upper levels of the ledger's indexes; an import that
// writes a million rows keeps them all in memory instead of spilling and reading pages back (measured:
// a fifth less CPU for the same million inserts). Given back when the import ends.
const IMPORT_CACHE_KIB = 1024 * 1024;

/** Runs `work` with a large SQLite page cache (nothing changes on PostgreSQL). */
export async function withLargeCache<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return work();
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const before = rows[0]?.cache_size ?? -65536;
  await sql.raw(`pragma cache_size = ${-IMPORT_CACHE_KIB}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Number(before)}`).execute(db);
  }
}

import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { isPostgres } from './migrations/column-types.ts';
import { copyText } from './pg-copy.ts';

const statementCache = new Map<string, string>();

function insertSql(table: string, columns: readonly string[], rowCount: number): string {
  const key = `${table}|${columns.join(',')}|${rowCount}`;
  let text = statementCache.get(key);
  if (!text) {
    const tuples: string[] = [];
    for (let r = 0; r < rowCount; r++) {
      const cells = columns.map(() => '?');
      tuples.push(`(${cells.join(',')})`);
    }
    text = `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`;
    if (statementCache.size > 200) statementCache.clear();
    statementCache.set(key, text);
  }
  return text;
}

/**
 * Bulk insert for imports and the demo generator. SQLite: one prepared statement run per row, its SQL built
 * once per shape (building a query object per row would cost more than the insert). PostgreSQL: one
 * `COPY … FROM STDIN` per call in the caller's transaction, the server's fastest way in (measured against
 * multi-row INSERTs of 30,000 parameters, which spent most of their time parsing and binding parameters).
 * `rows` hold values in the order of `columns`.
 */
export async function insertRows(db: Db, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  if (!isPostgres(db)) {
    await db.executeQuery(CompiledQuery.raw(`/*each row*/ ${insertSql(table, columns, 1)}`, rows));
    return;
  }
  await db.executeQuery(CompiledQuery.raw(`copy ${table} (${columns.join(',')}) from stdin`, [copyText(rows)]));
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
export async function suspendIndexes(
  trx: Transaction<Database>,
  table: string,
  incoming: number,
): Promise<() => Promise<void>> {
  if (isPostgres(trx) || incoming === 0) return async () => {};
  // Counting at most incoming + 1 rows: a small file never pays for counting a large table.
  const [{ n }] = (
    await sql<{
      n: number;
    }>`select count(*) as n from (select 1 from ${sql.table(table)} limit ${incoming + 1})`.execute(trx)
  ).rows as [{ n: number }];
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
/** SQLite's default: a commit checkpoints once the write-ahead log holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

export type ImportSessionOptions = {
  /**
   * The import resolves every reference it writes (customer, invoice) inside its own write transaction,
   * so SQLite's per-row foreign-key lookups only repeat that check (measured: 1.3-2.3 s per million
   * invoices); they are left out for this connection while the import runs.
   */
  referencesResolved: boolean;
};

const pendingCheckpoints = new Set<Promise<void>>();

/** Resolves when the background checkpoints started by imports and runs have ended (tests, a CLI about to exit). */
export async function checkpointsSettled(): Promise<void> {
  await Promise.all([...pendingCheckpoints]);
}

/**
 * Runs an import (`work` opens its transaction on the connection it is given) with a large page cache and
 * without automatic checkpoints (nothing changes on PostgreSQL). A commit normally copies the write-ahead
 * log into the database file before it returns; after a large import that copy (about as long as writing
 * the log itself) is done by a worker thread with its own connection instead, so the import returns once
 * its data is committed and the copy runs on the other core.
 */
export async function withImportSession<T>(
  db: Kysely<Database>,
  options: ImportSessionOptions,
  work: (connection: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (isPostgres(db)) return work(db);
  // The pragmas are per connection: holding it keeps every other query out until they are set back.
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(connection);
    const before = rows[0]?.cache_size ?? -65536;
    await sql.raw(`pragma cache_size = ${-IMPORT_CACHE_KIB}`).execute(connection);
    await sql.raw(`pragma wal_autocheckpoint = 0`).execute(connection);
    if (options.referencesResolved) await sql.raw('pragma foreign_keys = off').execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql.raw('pragma foreign_keys = on').execute(connection);
      await sql.raw(`pragma wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`).execute(connection);
      await sql.raw(`pragma cache_size = ${Number(before)}`).execute(connection);
      const log = await logOf(connection);
      if (log) checkpointInBackground(log);
    }
  });
}

/**
 * Runs `work` without automatic checkpoints on SQLite; each time it calls `checkpoint` (after a commit), the
 * checkpoint worker copies the write-ahead log into the database file unless a copy is already under way, and once
 * more when it ends. A dunning run at a million invoices writes some 25 KB of pages per communication: the
 * commits' automatic checkpoints made it wait for that copy and its fsync, with the event loop (and every request
 * of `relance serve`) blocked, while the copy can run on the other core. Asking after each commit keeps the log
 * to about one batch of a long run. The pragma is the connection's, so writes made meanwhile on it skip it too.
 */
export async function withDeferredCheckpoint<T>(
  db: Kysely<Database>,
  work: (checkpoint: () => Promise<void>) => Promise<T>,
): Promise<T> {
  if (isPostgres(db) || db.isTransaction) return work(async () => {});
  const log = await logOf(db);
  await sql.raw('pragma wal_autocheckpoint = 0').execute(db);
  try {
    return await work(async () => {
      if (log && pendingCheckpoints.size === 0) checkpointInBackground(log);
    });
  } finally {
    await sql.raw(`pragma wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`).execute(db);
    // After the copy under way, if any: one checkpointer at a time.
    const before = [...pendingCheckpoints];
    if (log && before.length === 0) checkpointInBackground(log);
    else if (log) track(Promise.all(before).then(() => checkpointInBackground(log)));
  }
}

type Log = { file: string; pageSize: number };

/** The database file of the connection and its page size (null for a database without a file). */
async function logOf(db: Kysely<Database>): Promise<Log | null> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const file = rows.find((r) => r.name === 'main')?.file;
  if (!file) return null;
  const {
    rows: [size],
  } = await sql<{ page_size: number }>`pragma page_size`.execute(db);
  return { file, pageSize: size?.page_size ?? 4096 };
}

function track(done: Promise<unknown>): void {
  const settled = done.then(() => {});
  pendingCheckpoints.add(settled);
  void settled.then(() => pendingCheckpoints.delete(settled));
}

/** Starts the worker's copy of the log when it outgrew the automatic threshold; resolves when it has ended. */
function checkpointInBackground({ file, pageSize }: Log): Promise<void> | undefined {
  let walBytes = 0;
  try {
    walBytes = statSync(`${file}-wal`).size;
  } catch {
    return undefined;
  }
  // A small log is left to the next commit's automatic checkpoint, as any other write's.
  if (walBytes < AUTOCHECKPOINT_PAGES * pageSize) return undefined;
  const done = new Promise<void>((resolve) => {
    const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file } });
    // A failed copy loses nothing: the log stays, and the next automatic checkpoint copies it.
    worker.once('error', () => {});
    worker.once('exit', () => resolve());
  });
  track(done);
  return done;
}

/** insertRows for rows held as objects of one shape (every object has the same keys, in the same order). */
export async function insertRecords(db: Db, table: string, records: readonly object[]): Promise<void> {
  if (records.length === 0) return;
  const columns = Object.keys(records[0]!);
  await insertRows(
    db,
    table,
    columns,
    records.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])),
  );
}

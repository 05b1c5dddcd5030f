import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type CompiledQuery,
  type KyselyConfig,
  type MigrationResultSet,
  type Transaction,
} from 'kysely';
import type pg from 'pg';
import { AppError, type MessageText } from '../shared/errors.ts';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations/index.ts';
import { cachingDatabase } from './sqlite-statement-cache.ts';
import { countSearchWrites } from './search-writes.ts';
import { pgArrayRows } from './array-rows.ts';
import { pgPreparedStatements } from './pg-prepared.ts';

export type Db = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';
export type Store = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The file path or the URL without its password, for messages. */
  location: string;
  close(): Promise<void>;
  /** PostgreSQL schema holding the tables (and the migration bookkeeping). */
  schema?: string;
};

export const DEFAULT_DB = './data/relance.db';

export function resolveDbTarget(explicit?: string): string {
  return explicit ?? process.env.RELANCE_DB ?? DEFAULT_DB;
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//.test(target);
}

// PostgreSQL would hand back Date objects for dates and strings for bigint; SQLite gives strings and
// numbers. These parsers make both engines return the same JS types to the rest of the code.
const PG_DATE = 1082;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

function toSafeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) && Number.isInteger(value)) {
    throw new AppError('internal', `integer ${text} is beyond the exact range of JS numbers`, [], {
      key: 'problem.database.bigInteger',
      params: { value: text },
    });
  }
  return value;
}

/** The column types as the store reads them; the others as pg's own parsers read them. */
const pgTypesOf = (types: typeof pg.types) => ({
  getTypeParser(oid: number, format?: string) {
    switch (oid) {
      case PG_DATE:
        return (v: string) => v;
      case PG_INT8:
        return toSafeNumber;
      case PG_NUMERIC:
        return (v: string) => Number(v);
      case PG_TIMESTAMP:
        return (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString();
      case PG_TIMESTAMPTZ:
        return (v: string) => new Date(v).toISOString();
      default:
        return types.getTypeParser(oid, format as 'text');
    }
  },
});

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  // libpq would fall back to the login name; pg needs it said when the environment has no USER.
  if (!parsed.username && !process.env.PGUSER) parsed.username = userInfo().username;
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new AppError('usage', `schema "${schema}" must be a lower-case SQL identifier`, [], {
      key: 'problem.database.schemaName',
      params: { value: schema },
    });
  }
  // The PostgreSQL driver and its COPY stream are loaded by a PostgreSQL store only: every command on an SQLite
  // file would otherwise pay for loading them.
  const { default: pgDriver } = await import('pg');
  const { allowCopyFromStdin } = await import('./pg-copy.ts');
  const pool = new pgDriver.Pool({
    connectionString: parsed.toString(),
    max: Number(process.env.RELANCE_PG_POOL ?? 10),
    types: pgTypesOf(pgDriver.types),
    // No JIT compilation: it starts on estimated cost alone, and the large reads that reach its threshold (a
    // plan's open invoices) return rows rather than compute, so compiling cost more than it saved: 0.7 s of
    // server CPU (inlining and optimisation) on a plan of 1M invoices whose statement took 4 s without it.
    options: `-c jit=off${schema ? ` -c search_path=${schema}` : ''}`,
  });
  // A connection cut by a server restart emits 'error' on the pool (idle) or on its client (checked out);
  // unheard, either kills the process (serve, scheduler, a run). The query under way is rejected anyway,
  // the pool drops the dead client, and the next query connects afresh.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    allowCopyFromStdin(client);
    // The array-rows wrapper (the outer one) hands its query config to the one naming prepared statements.
    pgPreparedStatements(client);
    pgArrayRows(client);
  });
  const location = redact(url);
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw new AppError('unavailable', `Cannot reach PostgreSQL at ${location}: ${(error as Error).message}`, [], {
      key: 'problem.database.postgres',
      params: { location, reason: (error as Error).message },
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...observed(options) });
  return { db, dialect: 'postgres', location, close: () => db.destroy(), schema: schema ?? 'public' };
}

function openSqlite(file: string, options: StoreOptions): Store {
  // ':memory:' is SQLite's name for a private in-memory database, not a file to create in the current folder.
  const path = file === ':memory:' ? file : resolve(file);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let native: BetterSqlite3.Database;
  try {
    native = new BetterSqlite3(path);
  } catch (error) {
    throw new AppError('unavailable', `Cannot open the database file ${path}: ${(error as Error).message}`, [], {
      key: 'problem.database.openFile',
      params: { file: path, reason: (error as Error).message },
    });
  }
  // WAL lets readers (the web app) work during a run; NORMAL sync is durable at each checkpoint and
  // never corrupts; the busy timeout makes a second process wait instead of failing at once.
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 10000');
  // A 64 MiB page cache keeps the indexes of a large ledger in memory during imports and runs.
  native.pragma('cache_size = -65536');
  native.pragma('temp_store = memory');
  // SQLite's own lower() folds ASCII only; searches must match 'ÉLECTRICITÉ' as PostgreSQL does.
  native.function(
    'lower',
    { deterministic: true },
    (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value) as string,
  );
  countSearchWrites(native);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingDatabase(native) }),
    ...observed(options),
  });
  return { db, dialect: 'sqlite', location: path, close: () => db.destroy() };
}

function migratorFor(db: Kysely<Database>, schema?: string): Migrator {
  // Without the schema, Kysely on PostgreSQL finds another schema's migration tables and skips its own.
  // Migrations of separate features do not depend on one another, so one added later may run after a higher-numbered one.
  return new Migrator({
    db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** The migrations this version knows and has not applied to the database yet, in the order they would run. */
export async function pendingMigrations(db: Kysely<Database>, schema?: string): Promise<string[]> {
  await refuseNewerDatabase(db, schema);
  const all = await migratorFor(db, schema).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * A database upgraded by a newer relance holds migrations this version does not know: running on it could
 * misread or damage its data, so every command and the server stop with what to do instead.
 */
async function refuseNewerDatabase(db: Kysely<Database>, schema?: string): Promise<void> {
  const known = new Set(Object.keys(await migrationProvider.getMigrations()));
  let applied: string[];
  try {
    const table = schema ? sql.table(`${schema}.kysely_migration`) : sql.table('kysely_migration');
    applied = (await sql<{ name: string }>`select name from ${table}`.execute(db)).rows.map((r) => r.name);
  } catch {
    return; // a new database: nothing applied yet
  }
  const unknown = applied.filter((name) => !known.has(name)).sort();
  if (unknown.length > 0) {
    throw new AppError(
      'unavailable',
      `This database was upgraded by a newer version of relance (migrations ${unknown.join(', ')} ` +
        'are unknown to this one): install that version or a later one, or restore a backup made before the upgrade.',
      [],
      { key: 'problem.database.newer', params: { migrations: unknown.join(', ') } },
    );
  }
}

export async function migrate(db: Kysely<Database>, schema?: string): Promise<string[]> {
  await refuseNewerDatabase(db, schema);
  let outcome = await migratorFor(db, schema).migrateToLatest();
  // Kysely's migrator looks for its tables by introspecting every schema of the database; a schema another
  // tenant (or test) drops at that moment fails the look-up ("schema … does not exist", or "column … of
  // relation … does not exist" from pg_get_serial_sequence), though nothing of ours changed. Such a failure
  // comes before any migration ran (none is marked failed), so trying again is safe.
  for (let attempt = 0; attempt < 3 && outcome.error && failedBeforeMigrating(outcome, schema); attempt++) {
    outcome = await migratorFor(db, schema).migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('internal', `Database migration ${failed} failed: ${(error as Error).message}`, [], {
      key: 'problem.database.migration',
      params: { migration: failed, reason: (error as Error).message },
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function failedBeforeMigrating(outcome: MigrationResultSet, schema: string | undefined): boolean {
  if (outcome.results?.some((r) => r.status === 'Error')) return false;
  const message = String((outcome.error as Error)?.message ?? '');
  const gone = /schema "([^"]+)" does not exist/.exec(message)?.[1];
  if (gone !== undefined) return gone !== schema;
  return /(column|relation) "[^"]+"( of relation "[^"]+")? does not exist/.test(message);
}

export type StoreOptions = {
  /**
   * Sees every statement run through Kysely (its SQL and parameters), e.g. to read query plans in tests, and how
   * long it took (benchmarks).
   */
  onQuery?: (query: CompiledQuery, milliseconds: number) => void;
  /** false: open the database as it is (for `relance migrate --dry-run` and backups), refusing a newer one. */
  migrate?: boolean;
};

function observed(options: StoreOptions): Pick<KyselyConfig, 'log'> {
  const { onQuery } = options;
  if (!onQuery) return {};
  return {
    log: (event) => {
      if (event.level === 'query') onQuery(event.query, event.queryDurationMillis);
    },
  };
}

/** Opens (and creates or upgrades) the database named by a file path or a postgres:// URL. */
export async function openStore(target?: string, options: StoreOptions = {}): Promise<Store> {
  const resolved = resolveDbTarget(target);
  const store = isPostgresUrl(resolved) ? await openPostgres(resolved, options) : openSqlite(resolved, options);
  try {
    if (options.migrate === false) await refuseNewerDatabase(store.db, store.schema);
    else await migrate(store.db, store.schema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** A unique-key violation from either engine: the caller turns it into a 'conflict' AppError. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Inserts, turning a lost race on a unique key into the same 'conflict' as the check before it. */
export async function insertUnique(work: () => Promise<unknown>, message: string, text: MessageText): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', message, [], text);
    throw error;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Runs a raw statement; used by tests and benchmarks that compare against hand-written SQL. */
export async function rawQuery<R>(db: Db, text: string): Promise<R[]> {
  const result = await sql.raw<R>(text).execute(db);
  return result.rows;
}

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore, type Store, type StoreOptions } from '../../src/storage/database.ts';

/**
 * The dialects a repository test runs on. PostgreSQL joins when it answers at RELANCE_TEST_PG
 * (default postgres://127.0.0.1:5432/test); with RELANCE_REQUIRE_PG=1 (set by .ci/run) an unreachable
 * server fails the suite instead of leaving it out.
 */
export const PG_URL = process.env.RELANCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.RELANCE_REQUIRE_PG === '1';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (required)
      throw new Error(`PostgreSQL is required (RELANCE_REQUIRE_PG=1) but ${PG_URL} fails: ${(error as Error).message}`);
    return false;
  }
}

export const dialects: ('sqlite' | 'postgres')[] = (await postgresAnswers()) ? ['sqlite', 'postgres'] : ['sqlite'];
if (!dialects.includes('postgres')) console.warn(`PostgreSQL tests left out: nothing answers at ${PG_URL}`);

export type TestStore = Store & { dispose(): Promise<void> };
export type TestStoreOptions = StoreOptions & {
  /** Runs the migrations themselves instead of copying the migrated template (the tests of the migrations). */
  fromMigrations?: boolean;
};

/**
 * A fresh, migrated database: a temporary SQLite file, or a new schema in the test PostgreSQL. Each is a copy of
 * one migrated template (a file on SQLite, pg_dump's script of a schema on PostgreSQL), made once per migration
 * set: running the fifty migrations for each of the suite's thousand stores was a third of its time, and the
 * migrations keep their own tests (test/storage/upgrade.test.ts, the schema comparison) on the real path.
 */
export async function freshStore(dialect: 'sqlite' | 'postgres', options: TestStoreOptions = {}): Promise<TestStore> {
  const { fromMigrations = false, ...storeOptions } = options;
  return dialect === 'sqlite' ? freshSqlite(fromMigrations, storeOptions) : freshPostgres(fromMigrations, storeOptions);
}

async function freshSqlite(fromMigrations: boolean, options: StoreOptions): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-test-'));
  const file = join(dir, 'test.db');
  if (!fromMigrations) copyFileSync(await sqliteTemplate(), file);
  const store = await openStore(file, fromMigrations ? options : { ...options, migrate: false });
  return {
    ...store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freshPostgres(fromMigrations: boolean, options: StoreOptions): Promise<TestStore> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dropSchema = () => onPostgres(`drop schema if exists ${schema} cascade`);
  let store: Store;
  try {
    if (!fromMigrations) await onPostgres((await postgresTemplate()).replaceAll(TEMPLATE_SCHEMA, schema));
    store = await openStore(schemaUrl(schema), fromMigrations ? options : { ...options, migrate: false });
  } catch (error) {
    await dropSchema();
    throw error;
  }
  return {
    ...store,
    dispose: async () => {
      await store.close();
      await dropSchema();
    },
  };
}

function schemaUrl(schema: string): string {
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
}

async function onPostgres(statements: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statements);
  } finally {
    await client.end();
  }
}

// The templates are named after the migration files' contents, so that a changed migration makes new ones, and
// kept in the temporary folder, where the suite's workers (and the next run) find them.
const MIGRATIONS = fileURLToPath(new URL('../../src/storage/migrations/', import.meta.url));
const TEMPLATES = join(tmpdir(), 'relance-test-templates');
const TEMPLATE_SCHEMA = 'relance_template_schema';

function migrationsDigest(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS).sort()) hash.update(name).update(readFileSync(join(MIGRATIONS, name)));
  return hash.digest('hex').slice(0, 16);
}

let sqliteFile: Promise<string> | undefined;
let postgresScript: Promise<string> | undefined;

function sqliteTemplate(): Promise<string> {
  sqliteFile ??= (async () => {
    mkdirSync(TEMPLATES, { recursive: true });
    const file = join(TEMPLATES, `sqlite-${migrationsDigest()}.db`);
    if (existsSync(file)) return file;
    // Made under a name of its own, then renamed: a worker never copies another's half-migrated file.
    const building = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    const store = await openStore(building);
    await store.close();
    renameSync(building, file);
    return file;
  })();
  return sqliteFile;
}

function postgresTemplate(): Promise<string> {
  postgresScript ??= (async () => {
    mkdirSync(TEMPLATES, { recursive: true });
    const file = join(TEMPLATES, `postgres-${migrationsDigest()}.sql`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    const schema = `t_template_${randomBytes(6).toString('hex')}`;
    try {
      const store = await openStore(schemaUrl(schema));
      await store.close();
      // --inserts: plain statements that one simple query can run (COPY … FROM stdin needs the copy protocol).
      const dump = execFileSync(
        'pg_dump',
        ['--schema', schema, '--inserts', '--no-owner', '--no-privileges', '--no-comments', PG_URL],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      // Lines such as \\restrict are psql's meta-commands, not SQL.
      const script = dump
        .split('\n')
        .filter((line) => !line.startsWith('\\'))
        .join('\n')
        .replaceAll(schema, TEMPLATE_SCHEMA);
      const building = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
      writeFileSync(building, script);
      renameSync(building, file);
      return script;
    } finally {
      await onPostgres(`drop schema if exists ${schema} cascade`);
    }
  })();
  return postgresScript;
}

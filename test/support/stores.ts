import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A fresh, migrated database: a temporary SQLite file, or a new schema in the test PostgreSQL. */
export async function freshStore(dialect: 'sqlite' | 'postgres', options: StoreOptions = {}): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'relance-test-'));
    const store = await openStore(join(dir, 'test.db'), options);
    return {
      ...store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const separator = PG_URL.includes('?') ? '&' : '?';
  const dropSchema = async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  let store: Store;
  try {
    store = await openStore(`${PG_URL}${separator}schema=${schema}`, options);
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

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL } from '../../support/stores.ts';

export type Target = { url: string; dir: string; dispose(): Promise<void> };

/**
 * A database several processes can open by URL: a SQLite file in a temporary folder, or a fresh schema
 * in the test PostgreSQL. `dir` is a scratch folder for letters and other files either way.
 */
export async function databaseTarget(dialect: 'sqlite' | 'postgres', baseUrl = PG_URL): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-proof-'));
  if (dialect === 'sqlite') {
    return { url: join(dir, 'proof.db'), dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `proof_${randomBytes(5).toString('hex')}`;
  return {
    url: `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}schema=${schema}`,
    dir,
    dispose: async () => {
      rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

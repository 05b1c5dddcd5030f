import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/import/run-import.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { holdStatistics } from '../../src/storage/statistics.ts';
import { dialects, freshStore, PG_URL, type TestStore } from '../support/stores.ts';

const encode = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

/** Another session's ANALYZE of `table`, giving up after 100 ms of waiting for a lock: the error code, or null. */
async function analyseElsewhere(schema: string, table: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set lock_timeout = '100ms'`);
    await client.query(`analyze "${schema}"."${table}"`);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await client.end();
  }
}

describe.runIf(dialects.includes('postgres'))('statistics held during a bulk write (postgres)', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('no other session analyses the tables a large load writes until it commits; a small write holds nothing', async () => {
    store = await freshStore('postgres');
    const { db } = store;
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]!.schema;
    await db.transaction().execute(async (trx) => {
      await holdStatistics(trx, ['payments', 'allocations'], 999);
      expect(await analyseElsewhere(schema, 'payments')).toBeNull();
      await holdStatistics(trx, ['payments', 'allocations'], 1000);
      // 55P03: lock_not_available. An ANALYZE now would record the rows this load has not committed as absent.
      expect(await analyseElsewhere(schema, 'payments')).toBe('55P03');
      expect(await analyseElsewhere(schema, 'allocations')).toBe('55P03');
      expect(await analyseElsewhere(schema, 'invoices')).toBeNull();
    });
    expect(await analyseElsewhere(schema, 'payments')).toBeNull();
  });

  it('a payments import holds them from before its first row is written', async () => {
    const seen: CompiledQuery[] = [];
    store = await freshStore('postgres', { onQuery: (query) => seen.push(query) });
    const { db } = store;
    const actor = systemActor((await ensureDefaultCompany(db)).id);
    const run = (kind: 'customers' | 'invoices' | 'payments', lines: string[]) =>
      importCsv(db, actor, { kind, fileName: `${kind}.csv`, bytes: encode(lines) });
    const n = 1200;
    expect((await run('customers', ['code,name,kind,email', 'C1,Client,company,c1@example.fr'])).committed).toBe(true);
    const numbers = Array.from({ length: n }, (_, k) => `F${String(k).padStart(5, '0')}`);
    const invoices = numbers.map((number) => `${number},C1,2026-01-02,2026-02-01,100.00,EUR`);
    expect((await run('invoices', ['number,customer,issue_date,due_date,total,currency', ...invoices])).committed).toBe(
      true,
    );
    seen.length = 0;
    const payments = numbers.map((number) => `${number},2026-03-01,10.00,transfer`);
    expect((await run('payments', ['invoice,date,amount,method', ...payments])).committed).toBe(true);
    const statements = seen.map((query) => query.sql.replace(/\s+/g, ' ').toLowerCase());
    const held = statements.findIndex((text) => text.startsWith('lock table "payments", "allocations", "invoices"'));
    const firstCopy = statements.findIndex((text) => text.startsWith('copy '));
    expect(held).toBeGreaterThanOrEqual(0);
    expect(firstCopy).toBeGreaterThan(held);
  });
});

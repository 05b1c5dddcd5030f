import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/import/run-import.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listInvoices } from '../../src/storage/invoice-list.ts';
import type { Database } from '../../src/storage/schema.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

const CUSTOMERS = 6000;
const encode = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

/** The trigram index's stored blocks, as one digest: merging an index already in one segment writes nothing. */
async function blocks(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ id: number; block: Uint8Array }>`select id, block from customers_search_data
    order by id`.execute(db);
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.id}:`).update(row.block);
  return hash.digest('hex');
}

describe('the customers trigram index after a bulk write (sqlite)', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('is left in one segment by a customer import, and searches find the same customers', async () => {
    store = await freshStore('sqlite');
    const { db } = store;
    const companyId = (await ensureDefaultCompany(db)).id;
    // Names long enough that the index is flushed in several segments while the import writes it.
    const customers = Array.from(
      { length: CUSTOMERS },
      (_, k) =>
        `C${String(k).padStart(6, '0')},Société Électrique Dupré ${k} des Établissements Réunis,company,c${k}@example.fr`,
    );
    const report = await importCsv(db, systemActor(companyId), {
      kind: 'customers',
      fileName: 'c.csv',
      bytes: encode(['code,name,kind,email', ...customers]),
    });
    expect(report.issues.slice(0, 3)).toEqual([]);
    expect(report.committed).toBe(true);
    const before = await blocks(db);
    await sql`insert into customers_search (customers_search) values ('optimize')`.execute(db);
    expect(await blocks(db)).toBe(before);
    const found = await sql<{ n: number }>`select count(*) as n from customers_search
      where customers_search match ${'"societe electrique dupre 12"'}`.execute(db);
    // 12, 120-129 and 1200-1299.
    expect(Number(found.rows[0]!.n)).toBe(111);
    expect(await listInvoices(db, companyId, { text: 'C00001', asOf: '2026-01-01' })).toEqual([]);
  });
});

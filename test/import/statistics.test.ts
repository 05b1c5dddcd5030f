import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listInvoices } from '../../src/storage/invoice-list.ts';
import type { Database } from '../../src/storage/schema.ts';
import pg from 'pg';
import { gatherMissingStatistics, holdStatistics } from '../../src/storage/statistics.ts';
import { dialects, freshStore, PG_URL, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

const INVOICES = 100_000;
const CUSTOMERS = 1_000;
const encode = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

/** Every plan node of an EXPLAIN (FORMAT JSON) answer, depth first. */
function nodesOf(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(nodesOf)];
}

/** Pages of `table` the visibility map marks all-visible, as the last VACUUM or ANALYZE counted them. */
/**
 * How many times VACUUM ran on the table. Not its all-visible pages: another test's transaction open on the server
 * at that moment holds back what VACUUM may mark visible, and the suite runs files side by side.
 */
async function vacuums(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select vacuum_count::int as n from pg_stat_all_tables
    where relname = ${table} and schemaname = current_schema()`.execute(db);
  return rows[0]!.n;
}

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

describe.runIf(dialects.includes('postgres'))('planner statistics after a bulk import (postgres)', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('lists overdue invoices through an index right after a 100,000-row import, autovacuum or not', async () => {
    const seen: CompiledQuery[] = [];
    store = await freshStore('postgres', { onQuery: (query) => seen.push(query) });
    const { db } = store;
    // Autovacuum would analyse the table on its own some time later; the import must not depend on it.
    await sql`alter table invoices set (autovacuum_enabled = false)`.execute(db);
    const companyId = (await ensureDefaultCompany(db)).id;
    const customers = Array.from({ length: CUSTOMERS }, (_, k) => `C${k},Client ${k},company,c${k}@example.fr`);
    expect(
      (
        await importCsv(db, systemActor(companyId), {
          kind: 'customers',
          fileName: 'c.csv',
          bytes: encode(['code,name,kind,email', ...customers]),
        })
      ).committed,
    ).toBe(true);
    // A ledger of mostly settled history: a few hundred invoices are still open and late on 2026-06-30.
    const invoices = Array.from({ length: INVOICES }, (_, k) => {
      const due = k % 250 === 0 ? '2026-05-31' : '2026-12-31';
      return `F${String(k).padStart(6, '0')},C${k % CUSTOMERS},2026-01-02,${due},${(k % 900) + 100}.00,EUR`;
    });
    const report = await importCsv(db, systemActor(companyId), {
      kind: 'invoices',
      fileName: 'i.csv',
      bytes: encode(['number,customer,issue_date,due_date,total,currency', ...invoices]),
    });
    expect(report).toMatchObject({ created: INVOICES, committed: true });

    const { rows: analysed } = await sql<{ n: number }>`select count(*)::int as n from pg_statistic s
      join pg_class c on c.oid = s.starelid where c.relname = 'invoices' and c.relnamespace = current_schema()::regnamespace`.execute(
      db,
    );
    expect(analysed[0]!.n).toBeGreaterThan(0);
    // Vacuumed too, so that the loaded pages become all-visible and index-only scans need not visit the table.
    expect(await vacuums(db, 'invoices')).toBeGreaterThan(0);

    seen.length = 0;
    const page = await listInvoices(db, companyId, { status: 'overdue', asOf: '2026-06-30', limit: 50 });
    expect(page).toHaveLength(50);
    const list = seen.find((q) => /from "invoices" as "i"/.test(q.sql))!;
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }>(
      CompiledQuery.raw(`explain (format json) ${list.sql}`, [...list.parameters]),
    );
    const nodes = nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
    const onInvoices = nodes.filter((n) => n['Relation Name'] === 'invoices');
    expect(onInvoices.length).toBeGreaterThan(0);
    // Read through an index (the open invoices' partial index or the number order), never a scan of the table.
    for (const node of onInvoices) expect(node['Node Type']).toMatch(/Index/);
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'invoices')).toBe(false);

    // A server started on a ledger that has statistics leaves them alone.
    expect(await gatherMissingStatistics(db)).toEqual([]);

    // 2,000 payments: their new tables are analysed; the invoices, 2 % of which changed, keep their statistics
    // (autovacuum's own threshold, a tenth of the table).
    const analyses = async () => {
      const { rows: counts } = await sql<{ name: string; n: number }>`select relname as name, analyze_count::int as n
        from pg_stat_user_tables where schemaname = current_schema()`.execute(db);
      return Object.fromEntries(counts.map((r) => [r.name, r.n]));
    };
    const before = await analyses();
    const payments = Array.from(
      { length: 2_000 },
      (_, k) => `F${String(k).padStart(6, '0')},2026-02-01,10.00,virement`,
    );
    const paid = await importCsv(db, systemActor(companyId), {
      kind: 'payments',
      fileName: 'p.csv',
      bytes: encode(['invoice,date,amount,method', ...payments]),
    });
    expect(paid).toMatchObject({ created: 2_000, committed: true });
    const after = await analyses();
    expect(after.invoices).toBe(before.invoices);
    expect(after.payments).toBe((before.payments ?? 0) + 1);
    expect(after.allocations).toBe((before.allocations ?? 0) + 1);
  }, 180_000);

  it('gathers the statistics a ledger loaded by another tool lacks when a server starts', async () => {
    store = await freshStore('postgres');
    const { db } = store;
    const companyId = (await ensureDefaultCompany(db)).id;
    await importCsv(db, systemActor(companyId), {
      kind: 'customers',
      fileName: 'c.csv',
      bytes: encode(['code,name,kind,email', 'C1,Client,company,c1@example.fr']),
    });
    // Payments written behind relance's back (psql, a restore): a table with rows and no statistics.
    await sql`insert into payments (company_id, id, customer_id, date, currency, amount, method, created_at)
      select company_id, gen_random_uuid(), id, '2026-01-05', 'EUR', 1000, 'transfer', now() from customers`.execute(
      db,
    );
    // One customer: analysed (it had no statistics), but not worth a vacuum.
    expect(await vacuums(db, 'customers')).toBe(0);
    const missing = await gatherMissingStatistics(db);
    expect(missing).toEqual(['payments']);
    expect(await gatherMissingStatistics(db)).toEqual([]);
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

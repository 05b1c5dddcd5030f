import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';

const FIRST = '2026-11-25';
const NEXT = '2026-11-26';

/** Every plan node of an EXPLAIN (FORMAT JSON) answer, depth first. */
function nodesOf(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(nodesOf)];
}

describe.runIf(dialects.includes('postgres'))('planner statistics after a first automatic run (postgres)', () => {
  let store: TestStore | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('dates every open invoice, then the next day reads the few due through the next-action index', async () => {
    let compiled: CompiledQuery[] | null = null;
    store = await freshStore('postgres', { onQuery: (query) => compiled?.push(query) });
    const { db } = store;
    // Autovacuum would analyse the tables some time later; the next day's run must not depend on it.
    await sql`alter table invoices set (autovacuum_enabled = false)`.execute(db);
    await sql`alter table reminders set (autovacuum_enabled = false)`.execute(db);
    dataDir = mkdtempSync(join(tmpdir(), 'relance-run-statistics-'));
    const company = await ensureDefaultCompany(db);
    // The demo analyses what it loaded: no invoice has a next-action date yet.
    await loadDemo(db, company.id, { invoices: 5_000, customers: 1_500, seed: 3, asOf: FIRST });
    const nullShare = async () =>
      (
        await sql<{ share: number }>`select null_frac::float8 as share from pg_stats
          where schemaname = current_schema() and tablename = 'invoices' and attname = 'next_action_date'`.execute(db)
      ).rows[0]?.share;
    expect(await nullShare()).toBe(1);
    const first = await runDunning(db, company.id, { date: FIRST, kind: 'automatic', dataDir, printLetters: false });
    expect(first.plan.items.length).toBeGreaterThan(1_000);
    // The first run is a bulk write: the statistics now know the open invoices have their date.
    expect(await nullShare()).toBeLessThan(1);
    const analysed = await sql<{ name: string }>`select relname as name from pg_stat_all_tables
      where schemaname = current_schema() and relname in ('invoices', 'reminders') and last_analyze is not null`.execute(
      db,
    );
    expect(analysed.rows.map((r) => r.name).sort()).toEqual(['invoices', 'reminders']);

    compiled = [];
    await runDunning(db, company.id, { date: NEXT, kind: 'automatic', dataDir, printLetters: false });
    const due = compiled.find((q) => q.sql.includes('"i"."next_action_date" is null'));
    compiled = null;
    expect(due).toBeDefined();
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': Record<string, unknown>[] }>(
      CompiledQuery.raw(`explain (format json) ${due!.sql}`, [...due!.parameters]),
    );
    const scans = nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan as Record<string, unknown>).filter(
      (node) => node['Relation Name'] === 'invoices' || String(node['Node Type']).includes('Index'),
    );
    // Both ranges (never examined, due by that day) through the open invoices' next-action index.
    expect(scans.filter((node) => node['Index Name'] === 'invoices_open_next_action_ix').length).toBe(2);
    expect(scans.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  }, 300_000);
});

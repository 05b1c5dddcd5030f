import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { inIds } from '../../src/storage/in-list.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { planDunning, runDunning } from '../../src/dunning/run-dunning.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';

const FIRST = '2026-11-25';
const NEXT = '2026-11-26';
/** Invoices whose next-action date a ledger change cleared overnight (more than a short id list holds). */
const CHANGED = 520;

type Statement = { sql: string; parameters: readonly unknown[]; rows: number };

describe.each(dialects)('the next day’s automatic run on %s', (dialect) => {
  let store: TestStore | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads only the invoices due that day, their customers and their history, through an index', async () => {
    let compiled: CompiledQuery[] | null = null;
    store = await freshStore(dialect, { onQuery: (query) => compiled?.push(query) });
    const { db } = store;
    dataDir = mkdtempSync(join(tmpdir(), 'relance-next-day-'));
    const company = await ensureDefaultCompany(db);
    await loadDemo(db, company.id, { invoices: 5_000, customers: 1_500, seed: 3, asOf: FIRST });
    const first = await runDunning(db, company.id, { date: FIRST, kind: 'automatic', dataDir });
    expect(first.reminders).toBeGreaterThan(500);

    // Overnight a payment import touches some open invoices: each ledger change clears the next-action date.
    const later = await db
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', company.id)
      .where('status', '=', 'issued')
      .where(sql<boolean>`allocated < total`)
      .where('next_action_date', '>', NEXT)
      .orderBy('number')
      .execute();
    expect(later.length).toBeGreaterThan(CHANGED * 2);
    await db
      .updateTable('invoices')
      .set({ next_action_date: null })
      .where('company_id', '=', company.id)
      .where(
        inIds(
          db,
          'id',
          later.slice(0, CHANGED).map((r) => r.id),
        ),
      )
      .execute();
    const due = await db
      .selectFrom('invoices')
      .select(['id', 'customer_id'])
      .where('company_id', '=', company.id)
      .where('status', '=', 'issued')
      .where(sql<boolean>`allocated < total`)
      .where((eb) => eb.or([eb('next_action_date', 'is', null), eb('next_action_date', '<=', NEXT)]))
      .execute();
    const dueCustomers = new Set(due.map((d) => d.customer_id)).size;
    const dueHistory = Number(
      (
        await db
          .selectFrom('reminders')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('company_id', '=', company.id)
          .where(
            inIds(
              db,
              'invoice_id',
              due.map((d) => d.id),
            ),
          )
          .executeTakeFirstOrThrow()
      ).n,
    );
    const ledger = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(Number(ledger.n)).toBeGreaterThan(dueCustomers * 2);
    // What the whole ledger's plan says must go out that day: the daily run, reading only what is due, sends it all.
    const expected = (await planDunning(db, company.id, { date: NEXT })).items
      .filter((i) => i.action === 'send')
      .map((i) => i.invoice)
      .sort();

    const rowsOf: number[] = [];
    const counted = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        rowsOf.push(args.result.rows.length);
        return args.result;
      },
    });
    compiled = [];
    const next = await runDunning(counted, company.id, { date: NEXT, kind: 'automatic', dataDir });
    const statements: Statement[] = compiled.map((query, k) => ({
      sql: query.sql,
      parameters: query.parameters,
      rows: rowsOf[k] ?? 0,
    }));
    compiled = null;

    expect(next.plan.items.length).toBe(due.length);
    const sent = await db
      .selectFrom('reminders as r')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'),
      )
      .select(['i.number', 'i.id'])
      .where('r.company_id', '=', company.id)
      .where('r.sent_on', '=', NEXT)
      .execute();
    expect(sent.map((s) => s.number).sort()).toEqual(expected);

    // Each invoice reminded is dated with its reminder, once: none is cleared by the recording to be dated again
    // after it, and none is left for the following day's run to read again.
    const clearing = statements.filter((s) => /^update "invoices" set "next_action_date" = (\?|\$1)/.test(s.sql));
    expect(clearing.map((s) => s.sql)).toEqual([]);
    const undated = await db
      .selectFrom('invoices')
      .select('number')
      .where('company_id', '=', company.id)
      .where(
        inIds(
          db,
          'id',
          sent.map((s) => s.id),
        ),
      )
      .where((eb) => eb.or([eb('next_action_date', 'is', null), eb('next_action_date', '<=', NEXT)]))
      .execute();
    expect(sent.length).toBeGreaterThan(0);
    expect(undated).toEqual([]);

    // No statement reads more rows than there are invoices due: no customer list, no history of the whole ledger.
    for (const statement of statements) expect(statement.rows, statement.sql).toBeLessThanOrEqual(due.length);
    const reading = (table: string) => statements.filter((s) => s.sql.includes(`from "${table}" as`) && s.rows > 0);
    expect(reading('customers').reduce((n, s) => n + s.rows, 0)).toBeLessThanOrEqual(dueCustomers);
    expect(reading('reminders').reduce((n, s) => n + s.rows, 0)).toBeLessThanOrEqual(dueHistory);
    // And in all, a few rows and statements per invoice due.
    expect(statements.reduce((n, s) => n + s.rows, 0)).toBeLessThanOrEqual(4 * due.length + 100);
    expect(statements.length).toBeLessThanOrEqual(2 * due.length + 100);

    // No statement reads a large table through the company alone (every reminder, communication or e-mail of it),
    // as SQLite plans them without statistics: the run's letters were found by reading the company's reminders, and
    // each batch of e-mails read every reminder for its history.
    if (dialect === 'sqlite') {
      // A search on the company alone through one of these tables' indexes, or a scan of a table.
      const whole =
        /USING (COVERING )?INDEX (sqlite_autoindex_)?(reminders|communications|outbox|invoices|customers|contacts|allocations)\S* \(company_id=\?\)$|^SCAN (?!json_each)\S+$/;
      for (const statement of statements.filter((s) => /^\s*select/i.test(s.sql))) {
        const { rows } = await db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
        );
        for (const { detail } of rows) expect(detail, statement.sql).not.toMatch(whole);
      }
    }

    // The invoices due are found through the open invoices' next-action index, not by reading every open invoice:
    // asked again now that the run has dated them all, with the planner's statistics up to date.
    const read = statements.find((s) => /from "invoices" as "i"/.test(s.sql) && s.sql.includes('next_action_date'))!;
    // On PostgreSQL a bare ANALYZE reads every schema of the test database (the other test files' stores, the
    // benchmarks' ledger) and waits for any of them a bulk load holds: the tables of this store that the query reads.
    if (dialect === 'postgres') await sql`analyze invoices, customers, reminders`.execute(db);
    else await sql`analyze`.execute(db);
    if (dialect === 'sqlite') {
      const { rows } = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${read.sql}`, [...read.parameters]),
      );
      const plan = rows.map((r) => r.detail).join('\n');
      expect(plan).toMatch(/invoices_open_next_action_ix/);
      expect(plan).not.toMatch(/invoices_open_ix/);
      expect(plan).not.toMatch(/SCAN i\b(?! USING)/);
    } else {
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${read.sql}`, [...read.parameters]),
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/invoices_open_next_action_ix/);
      expect(plan).not.toMatch(/Seq Scan on invoices/);
    }
  }, 240_000);
});

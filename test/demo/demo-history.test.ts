import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWithHistory, type DemoHistorySummary } from '../../src/demo/demo-history.ts';
import type { DemoOptions } from '../../src/demo/generator.ts';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { holdsRealData, purgeDemoData } from '../../src/demo/demo-company.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { ensureDefaultCompany, getCompany } from '../../src/storage/companies.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

const AS_OF = '2026-11-25';
const OPTIONS: DemoOptions = { customers: 40, invoices: 500, seed: 3, asOf: AS_OF };

type Loaded = { store: TestStore; companyId: string; summary: DemoHistorySummary };

async function load(): Promise<Loaded> {
  const store = await freshStore('sqlite');
  const company = await ensureDefaultCompany(store.db);
  const summary = await loadDemoWithHistory(store.db, company.id, OPTIONS);
  return { store, companyId: company.id, summary };
}

/** What a user reads of the history: each reminder, each payment, each e-mail, by invoice number. */
async function history(db: TestStore['db']) {
  const reminders = await sql<{ number: string; level: number; sent_on: string; channel: string }>`
    select i.number, r.level, r.sent_on, r.channel from reminders r join invoices i on i.id = r.invoice_id
    order by i.number, r.level`.execute(db);
  const payments = await sql<{ number: string; date: string; amount: number }>`
    select i.number, a.date, a.amount from allocations a join invoices i on i.id = a.invoice_id
    order by i.number, a.date, a.amount`.execute(db);
  const mails = await sql<{ subject: string; status: string; sent_at: string }>`
    select subject, status, sent_at from outbox order by sent_at, subject`.execute(db);
  return { reminders: reminders.rows, payments: payments.rows, mails: mails.rows };
}

describe('the demo ledger with a year of history', () => {
  let first: Loaded;
  beforeAll(async () => {
    first = await load();
  }, 120_000);
  afterAll(async () => {
    await first?.store.dispose();
  });

  it('replays a daily automatic run on each working day of the past year, today left to run', async () => {
    const runs = await first.store.db
      .selectFrom('runs')
      .select(['run_date', 'kind', 'status', 'started_at'])
      .orderBy('run_date')
      .execute();
    expect(runs.length).toBe(first.summary.runs);
    expect(runs.length).toBeGreaterThan(250);
    expect(runs[0]!.run_date >= '2025-11-25').toBe(true);
    expect(runs.at(-1)!.run_date).toBe('2026-11-24');
    for (const run of runs) {
      expect(run).toMatchObject({ kind: 'automatic', status: 'completed' });
      expect(Temporal.PlainDate.from(run.run_date).dayOfWeek, run.run_date).toBeLessThanOrEqual(5);
      // The run is dated on its day, not on the day the demo was loaded.
      expect(run.started_at.slice(0, 10)).toBe(run.run_date);
    }
    // Today's run has not been made: the plan of today still has something to send.
    const plan = await planDunning(first.store.db, first.companyId, { date: AS_OF });
    expect(plan.items.some((i) => i.action === 'send')).toBe(true);
  });

  it('sent e-mails and letters at every level, each e-mail marked sent on its run day, none left to send', async () => {
    const { reminders, mails } = await history(first.store.db);
    expect(reminders.length).toBe(first.summary.reminders);
    expect(new Set(reminders.map((r) => r.level))).toEqual(new Set([1, 2, 3, 4]));
    expect(reminders.some((r) => r.channel.includes('letter'))).toBe(true);
    expect(reminders.some((r) => r.channel.includes('email'))).toBe(true);
    expect(mails.length).toBe(first.summary.emails);
    expect(mails.length).toBeGreaterThan(100);
    for (const mail of mails) expect(mail.status).toBe('sent');
    const runDays = new Set(reminders.map((r) => r.sent_on));
    for (const mail of mails) expect(runDays.has(mail.sent_at.slice(0, 10)), mail.sent_at).toBe(true);
  });

  it('never reminds an invoice before it exists, nor after it was paid', async () => {
    const rows = await sql<{ number: string; sent_on: string; issue_date: string; paid_on: string | null }>`
      select i.number, r.sent_on, i.issue_date,
        case when i.allocated = i.total then (select max(a.date) from allocations a where a.invoice_id = i.id) end as paid_on
      from reminders r join invoices i on i.id = r.invoice_id`.execute(first.store.db);
    for (const r of rows.rows) {
      expect(r.sent_on >= r.issue_date, `${r.number} reminded ${r.sent_on}, issued ${r.issue_date}`).toBe(true);
      if (r.paid_on) expect(r.sent_on <= r.paid_on, `${r.number} reminded ${r.sent_on}, paid ${r.paid_on}`).toBe(true);
    }
  });

  it('has payments arriving after reminders, and late invoices spread over the levels, not all at the first', async () => {
    const paidAfter = await sql<{ n: number }>`
      select count(distinct a.invoice_id) as n from allocations a
      where a.payment_id is not null and exists (select 1 from reminders r where r.invoice_id = a.invoice_id and r.sent_on < a.date)`.execute(
      first.store.db,
    );
    expect(Number(paidAfter.rows[0]!.n)).toBeGreaterThan(50);
    const levels = await sql<{ level: number | null }>`
      select (select max(r.level) from reminders r where r.invoice_id = i.id) as level from invoices i
      where i.total > i.allocated and i.due_date < ${AS_OF}`.execute(first.store.db);
    const byLevel = new Map<number, number>();
    for (const { level } of levels.rows) byLevel.set(level ?? 0, (byLevel.get(level ?? 0) ?? 0) + 1);
    expect(byLevel.size).toBeGreaterThanOrEqual(3);
    const largest = Math.max(...byLevel.values());
    expect(largest).toBeLessThan(levels.rows.length);
  });

  it('ends with disputes and promises to pay on open invoices, each call noted on the customer', async () => {
    expect(first.summary.disputes).toBeGreaterThan(0);
    expect(first.summary.promises).toBeGreaterThan(0);
    const held = await first.store.db
      .selectFrom('invoices')
      .select(['number', 'disputed', 'promise_to_pay_date', 'total', 'allocated'])
      .where((eb) => eb.or([eb('disputed', '=', 1), eb('promise_to_pay_date', 'is not', null)]))
      .execute();
    expect(held.length).toBe(first.summary.disputes + first.summary.promises);
    for (const invoice of held) expect(invoice.total).toBeGreaterThan(invoice.allocated);
    const calls = await first.store.db.selectFrom('customer_activities').select('body').execute();
    expect(calls.length).toBe(held.length);
    for (const invoice of held) expect(calls.some((c) => c.body.includes(invoice.number))).toBe(true);
    expect((await getCompany(first.store.db, first.companyId)).demoData).toBe(true);
  });

  it('is the same history for the same seed', async () => {
    const second = await load();
    try {
      expect(second.summary).toEqual(first.summary);
      expect(await history(second.store.db)).toEqual(await history(first.store.db));
    } finally {
      await second.store.dispose();
    }
  }, 120_000);

  it('is purged whole by an administrator: every ledger row, the history and the demo identity go, settings stay', async () => {
    const { db } = first.store;
    const actor = systemActor(first.companyId, 'admin@demo.relance');
    await purgeDemoData(db, actor);
    for (const table of [
      'customers',
      'invoices',
      'payments',
      'allocations',
      'reminders',
      'runs',
      'outbox',
      'customer_activities',
    ] as const) {
      const rows = await db
        .selectFrom(table)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(rows.n), table).toBe(0);
    }
    const company = await getCompany(db, first.companyId);
    expect(company).toMatchObject({ legalName: 'Ma société', demoData: false, iban: null, siret: null });
    expect(await holdsRealData(db)).toBe(false);
    // Real data is never purged.
    await expect(purgeDemoData(db, actor)).rejects.toThrow(/real data/);
  });
});

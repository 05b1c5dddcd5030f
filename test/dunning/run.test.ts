import { describe, expect, it } from 'vitest';
import { planDunning, runDunning, NEVER } from '../../src/dunning/run-dunning.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { listReminders, writePolicy, setCustomerDunning } from '../../src/storage/dunning.ts';
import { createInvoice, setDispute } from '../../src/storage/invoices.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { dialects } from '../support/stores.ts';
import { markRemindersSent } from '../../src/storage/reminder-states.ts';
import { LIMITS } from '../../src/templates/engine.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';
import type { Db } from '../../src/storage/database.ts';
import { translator } from '../../src/i18n/index.ts';

/** The payment-collection module's example: levels at 30 / 60 / 80 days past due, each after the one before. */
const POLICY = {
  name: 'module',
  minBalance: '0.01',
  minDaysBetween: 0,
  steps: [
    { label: 'Relance 1', delayDays: 30, from: 'dueDate', channels: ['email'] },
    { label: 'Relance 2', delayDays: 60, from: 'dueDate', channels: ['email'] },
    { label: 'Relance 3', delayDays: 80, from: 'dueDate', channels: ['letter'] },
  ],
};

async function seed(db: Db) {
  const company = await createCompany(db, { legalName: 'Relance SA' });
  await writePolicy(db, company.id, { name: 'module', definition: POLICY });
  const ids: Record<string, string> = {};
  const customers = [
    ['BREAK', '2022-01-01', 18_000],
    ['ROMEO', '2022-01-15', 269_000],
    ['WALK', '2022-02-25', 18_000],
    ['LORD', '2022-03-15', 18_000],
  ] as const;
  for (const [code, due, total] of customers) {
    const customer = await createCustomer(db, company.id, customerInput(code));
    await addContact(db, company.id, customer.id, {
      name: null,
      email: `${code.toLowerCase()}@ex.fr`,
      phone: null,
      role: null,
      isPrimary: true,
    });
    const invoice = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput(`F-${code}`, { issueDate: due, dueDate: due, total }),
    );
    ids[code] = invoice.id;
  }
  return { company, ids };
}

/** The queued messages of the company leave (what the dispatcher marks once SMTP accepted them). */
async function leave(db: Db, companyId: string) {
  const communications = await db
    .selectFrom('communications')
    .select('id')
    .where('company_id', '=', companyId)
    .execute();
  await markRemindersSent(
    db,
    companyId,
    communications.map((c) => c.id),
  );
}

describe.each(dialects)('dunning runs on %s', (dialect) => {
  const store = useStore(dialect);

  it('plans, runs and plans again: level 2 only after level 1, nothing sent twice', async () => {
    const { db } = store();
    const { company } = await seed(db);
    const before = await planDunning(db, company.id, { date: '2022-03-28' });
    const sends = before.items.filter((i) => i.action === 'send').map((i) => [i.invoice, i.nextLevel]);
    expect(sends).toEqual([
      ['F-BREAK', 1],
      ['F-ROMEO', 1],
      ['F-WALK', 1],
    ]);
    expect(before.items.find((i) => i.invoice === 'F-LORD')?.action).not.toBe('send');

    // Late-payment charges of French B2B law: ECB rate + 10 points on the total, and the 40 € indemnity.
    const breakCharges = before.charges.get('F-BREAK');
    expect(breakCharges).toMatchObject({ indemnity: '40.00', currency: 'EUR' });
    const expected = Math.round((18_000 * 0.1 * 86) / 365); // ECB rate for 2022H1 was 0 %
    expect(Number(breakCharges?.interest) * 100).toBeCloseTo(expected, 0);

    const first = await runDunning(db, company.id, { date: '2022-03-28' });
    expect(first).toMatchObject({ communications: 3, reminders: 3, raced: 0 });
    expect(first.run?.status).toBe('completed');
    const again = await runDunning(db, company.id, { date: '2022-03-28' });
    expect(again.reminders).toBe(0);
    // Queued, not left: the level is taken (nothing planned again) but not counted as sent.
    const waiting = await planDunning(db, company.id, { date: '2022-03-29' });
    expect(waiting.items.find((i) => i.invoice === 'F-BREAK')).toMatchObject({
      action: 'skip',
      lastLevel: 0,
      reason: { code: 'awaiting_dispatch' },
    });
    expect(await listReminders(db, company.id, { invoiceNumber: 'F-BREAK' })).toEqual([]);
    await leave(db, company.id);

    const later = await planDunning(db, company.id, { date: '2022-03-29' });
    const break2 = later.items.find((i) => i.invoice === 'F-BREAK');
    expect(break2).toMatchObject({ action: 'send', nextLevel: 2, lastLevel: 1 });
    await runDunning(db, company.id, { date: '2022-03-29' });
    await leave(db, company.id);
    const history = await listReminders(db, company.id, { invoiceNumber: 'F-BREAK' });
    expect(history.map((r) => [r.level, r.sentOn])).toEqual([
      [1, '2022-03-28'],
      [2, '2022-03-29'],
    ]);
  });

  it('two runs started at once record each reminder once', async () => {
    const { db } = store();
    const { company } = await seed(db);
    const results = await Promise.all([
      runDunning(db, company.id, { date: '2022-03-28' }),
      runDunning(db, company.id, { date: '2022-03-28' }),
    ]);
    expect(results[0]!.reminders + results[1]!.reminders).toBe(3);
    const [row] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from reminders');
    expect(Number(row?.n)).toBe(3);
  });

  it('a payment, a dispute or a pause stops the cycle; the automatic run reads only what is due', async () => {
    const { db } = store();
    const { company, ids } = await seed(db);
    await insertPayment(db, company.id, {
      customerId: (
        await rawQuery<{ customer_id: string }>(db, `select customer_id from invoices where number = 'F-BREAK'`)
      )[0]!.customer_id,
      date: '2022-03-01',
      currency: 'EUR',
      amount: 18_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: ids.BREAK!, amount: 18_000 }],
    });
    await setDispute(db, company.id, 'F-ROMEO', 'Montant contesté');
    await setCustomerDunning(db, company.id, 'WALK', { pausedUntil: '2022-04-15' });
    const result = await runDunning(db, company.id, { date: '2022-03-28', kind: 'automatic' });
    expect(result.reminders).toBe(0);
    const plan = result.plan.items.map((i) => [i.invoice, i.action, i.reason?.code ?? null]);
    expect(plan).toContainEqual(['F-ROMEO', 'skip', 'disputed']);
    expect(plan).toContainEqual(['F-WALK', 'wait', 'customer_paused']);
    expect(plan.map((p) => p[0])).not.toContain('F-BREAK');
    const dates = Object.fromEntries(
      (
        await rawQuery<{ number: string; next_action_date: string | null }>(
          db,
          'select number, next_action_date from invoices',
        )
      ).map((r) => [r.number, r.next_action_date]),
    );
    expect(dates['F-ROMEO']).toBe(NEVER);
    expect(dates['F-WALK']! > '2022-04-15').toBe(true);
    // The same day's automatic run does not run twice.
    const again = await runDunning(db, company.id, { date: '2022-03-28', kind: 'automatic' });
    expect(again.skipped).toMatch(/already completed/);
    expect(translator('fr')(again.skippedReason!.code, again.skippedReason!.params)).toBe(
      'la campagne automatique du 28/03/2022 est déjà faite',
    );
    // On the next day only invoices whose date has come are read: none here.
    const next = await runDunning(db, company.id, { date: '2022-03-29', kind: 'automatic' });
    expect(next.plan.items).toEqual([]);
  });
});

// Rendering does not depend on the engine: one is enough.
describe('a dunning run on a busy machine', () => {
  const store = useStore('sqlite');

  it('a busy machine does not fail the run: a message being sent is not held to the time bound of a preview', async () => {
    const { db } = store();
    const { company } = await seed(db);
    // Every render held to the bound of a preview is over it, as when the machine is loaded or the collector pauses mid-render.
    const limits = LIMITS as { renderMs: number };
    const strict = limits.renderMs;
    limits.renderMs = -1;
    try {
      const run = await runDunning(db, company.id, { date: '2022-03-28', kind: 'automatic' });
      expect(run).toMatchObject({ communications: 3, reminders: 3 });
      expect(run.run?.status).toBe('completed');
    } finally {
      limits.renderMs = strict;
    }
  });
});

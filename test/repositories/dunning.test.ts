import { describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import {
  finishRun,
  getPolicy,
  listPolicies,
  listReminders,
  listRuns,
  recordCommunication,
  writePolicy,
  setCustomerDunning,
  startRun,
} from '../../src/storage/dunning.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { markRemindersSent } from '../../src/storage/reminder-states.ts';
import { dialects } from '../support/stores.ts';
import { expectAppError, seedLedger, useStore } from './helpers.ts';

const POLICY = {
  name: 'default',
  steps: [{ label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email'] }],
};

describe.each(dialects)('dunning storage on %s', (dialect) => {
  const store = useStore(dialect);

  it('keeps named policies, the first one as the default, and switches the default on request', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    await writePolicy(db, company.id, { name: 'default', definition: POLICY });
    await writePolicy(db, company.id, { name: 'strict', definition: { ...POLICY, name: 'strict' } });
    expect((await getPolicy(db, company.id))?.name).toBe('default');
    await writePolicy(db, company.id, {
      name: 'strict',
      definition: { ...POLICY, name: 'strict', minDaysBetween: 3 },
      makeDefault: true,
    });
    const policies = await listPolicies(db, company.id);
    expect(policies.map((p) => [p.name, p.isDefault])).toEqual([
      ['default', false],
      ['strict', true],
    ]);
    expect((await getPolicy(db, company.id, 'strict'))?.definition).toMatchObject({ minDaysBetween: 3 });
    await expectAppError(getPolicy(db, company.id, 'nope'), 'not_found', /nope/);
    const other = await createCompany(db, { legalName: 'B' });
    expect(await getPolicy(db, other.id)).toBeNull();
  });

  it('pauses, blocks or assigns a policy to a customer and marks its invoices for a fresh look', async () => {
    const { db } = store();
    const { company, invoice } = await seedLedger(db);
    await writePolicy(db, company.id, { name: 'default', definition: POLICY });
    await rawQuery(db, `update invoices set next_action_date = '2030-01-01'`);
    await setCustomerDunning(db, company.id, 'C1', {
      policyName: 'default',
      pausedUntil: '2025-05-01',
      blockedReason: 'Litige',
    });
    const [row] = await rawQuery<Record<string, unknown>>(
      db,
      `select policy_id, dunning_paused_until, dunning_blocked_reason from customers`,
    );
    expect(row).toMatchObject({ dunning_paused_until: '2025-05-01', dunning_blocked_reason: 'Litige' });
    expect(row?.policy_id).toBeTruthy();
    const [inv] = await rawQuery<{ next_action_date: string | null }>(db, `select next_action_date from invoices`);
    expect(inv?.next_action_date).toBeNull();
    // A payment changes what is owed, so the engine must look at the invoice again.
    await rawQuery(db, `update invoices set next_action_date = '2030-01-01'`);
    await insertPayment(db, company.id, {
      customerId: invoice.customerId,
      date: '2025-02-01',
      currency: 'EUR',
      amount: 100,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoice.id, amount: 100 }],
    });
    const [paid] = await rawQuery<{ next_action_date: string | null }>(db, `select next_action_date from invoices`);
    expect(paid?.next_action_date).toBeNull();
    await expectAppError(setCustomerDunning(db, company.id, 'NOPE', { pausedUntil: null }), 'not_found');
  });

  it('records a communication with its reminders once, even when two runs race for the same level', async () => {
    const { db } = store();
    const { company, customer, invoice } = await seedLedger(db);
    const runs = await Promise.all([1, 2].map(() => startRun(db, company.id, { date: '2025-03-01', kind: 'manual' })));
    const record = (runId: string) =>
      recordCommunication(db, company.id, {
        runId,
        customerId: customer.id,
        currency: 'EUR',
        level: 1,
        label: '1ère relance',
        date: '2025-03-01',
        channels: ['email'],
        invoices: [{ invoiceId: invoice.id, level: 1 }],
      });
    const outcomes = await Promise.all(runs.map((run) => record(run!.id)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['raced', 'recorded']);
    const [counts] = await rawQuery<{ r: number | string; c: number | string }>(
      db,
      'select (select count(*) from reminders) as r, (select count(*) from communications) as c',
    );
    expect([Number(counts?.r), Number(counts?.c)]).toEqual([1, 1]);
    const recorded = outcomes.find((o) => o.status === 'recorded') as { id: string };
    // Pending until its e-mail leaves: the level is taken (the race above) but the history does not show it yet.
    expect(await listReminders(db, company.id, { invoiceNumber: 'F1' })).toEqual([]);
    await markRemindersSent(db, company.id, [recorded.id]);
    expect(await listReminders(db, company.id, { invoiceNumber: 'F1' })).toEqual([
      {
        invoice: 'F1',
        customer: 'C1',
        level: 1,
        sentOn: '2025-03-01',
        channel: 'email',
        runId: expect.any(String),
        communicationId: recorded.id,
      },
    ]);
  });

  it('records nothing for an invoice paid after the plan read it', async () => {
    const { db } = store();
    const { company, customer, invoice } = await seedLedger(db);
    const [seen] = await rawQuery<{ updated_at: string }>(db, 'select updated_at from invoices');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await insertPayment(db, company.id, {
      customerId: customer.id,
      date: '2025-03-01',
      currency: 'EUR',
      amount: invoice.total,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoice.id, amount: invoice.total }],
    });
    const outcome = await recordCommunication(db, company.id, {
      runId: null,
      customerId: customer.id,
      currency: 'EUR',
      level: 1,
      label: '1ère relance',
      date: '2025-03-02',
      channels: ['email'],
      invoices: [{ invoiceId: invoice.id, level: 1, updatedAt: seen!.updated_at }],
    });
    expect(outcome).toEqual({ status: 'stale' });
    expect(await listReminders(db, company.id)).toEqual([]);
  });

  it('claims one automatic run per company and day', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    const claims = await Promise.all(
      [1, 2, 3].map(() => startRun(db, company.id, { date: '2025-03-01', kind: 'automatic' })),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    const run = claims.find((c) => c !== null)!;
    await finishRun(db, company.id, run.id, { status: 'completed', summary: { sent: 3 } });
    expect(await startRun(db, company.id, { date: '2025-03-02', kind: 'automatic' })).not.toBeNull();
    const [latest, first] = await listRuns(db, company.id);
    expect(first).toMatchObject({ status: 'completed', summary: { sent: 3 }, date: '2025-03-01', kind: 'automatic' });
    expect(latest).toMatchObject({ status: 'running', date: '2025-03-02' });
  });
});

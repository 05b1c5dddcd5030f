import { describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/storage/allocations.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { recordCommunications } from '../../src/storage/dunning-batch.ts';
import { recordCommunication, startRun, type CommunicationInput } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { createWebhook, listDeliveries } from '../../src/storage/webhooks.ts';
import { dialects } from '../support/stores.ts';
import { invoiceInput, seedLedger, useStore } from './helpers.ts';

async function threeInvoices(db: Db) {
  const { company, customer, invoice } = await seedLedger(db);
  const f2 = await createInvoice(db, company.id, customer.id, invoiceInput('F2'));
  const f3 = await createInvoice(db, company.id, customer.id, invoiceInput('F3'));
  const seen = new Map(
    (await rawQuery<{ id: string; updated_at: string }>(db, 'select id, updated_at from invoices')).map((r) => [
      r.id,
      r.updated_at,
    ]),
  );
  return { company, customer, invoices: [invoice, f2, f3], seen };
}

async function count(db: Db, table: string): Promise<number> {
  const [row] = await rawQuery<{ n: number | string }>(db, `select count(*) as n from ${table}`);
  return Number(row?.n);
}

describe.each(dialects)('a run’s communications recorded together on %s', (dialect) => {
  const store = useStore(dialect);

  it('records each communication whole, leaves out one whose invoice was paid since the plan, queues the e-mails', async () => {
    const { db } = store();
    const { company, customer, invoices, seen } = await threeInvoices(db);
    const hook = await createWebhook(db, company.id, {
      url: 'https://hooks.example.test/relance',
      secret: 'whsec_test',
      events: ['reminder.sent'],
    });
    const run = await startRun(db, company.id, { date: '2025-03-01', kind: 'manual' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // F2 is paid after the plan read it: its communication must not be recorded.
    await insertPayment(db, company.id, {
      customerId: customer.id,
      date: '2025-02-28',
      currency: 'EUR',
      amount: invoices[1]!.total,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoices[1]!.id, amount: invoices[1]!.total }],
    });
    await rawQuery(db, `update invoices set next_action_date = '2030-01-01'`);
    const communication = (index: number, email: boolean): CommunicationInput => ({
      runId: run!.id,
      customerId: customer.id,
      currency: 'EUR',
      level: 1,
      label: '1ère relance',
      date: '2025-03-01',
      channels: email ? ['email'] : ['letter'],
      invoices: [{ invoiceId: invoices[index]!.id, level: 1, updatedAt: seen.get(invoices[index]!.id) }],
      emails: email
        ? [
            {
              kind: 'reminder',
              idempotencyKey: `reminder:1:${index}`,
              to: ['compta@client.fr'],
              subject: 'Relance',
              text: 'Bonjour',
            },
          ]
        : [],
    });
    const outcomes = await recordCommunications(db, company.id, [
      communication(0, true),
      communication(1, true),
      communication(2, false),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'stale', 'recorded']);
    expect([await count(db, 'communications'), await count(db, 'reminders'), await count(db, 'outbox')]).toEqual([
      2, 2, 1,
    ]);
    const [queued] = await rawQuery<{ communication_id: string; idempotency_key: string }>(
      db,
      'select communication_id, idempotency_key from outbox',
    );
    expect(queued).toEqual({ communication_id: (outcomes[0] as { id: string }).id, idempotency_key: 'reminder:1:0' });
    const reminders = await rawQuery<{ invoice_id: string; communication_id: string; state: string; balance: number }>(
      db,
      'select invoice_id, communication_id, state, balance from reminders order by invoice_id',
    );
    expect(reminders.map((r) => [r.invoice_id, r.communication_id, r.state, Number(r.balance)]).sort()).toEqual(
      [
        [invoices[0]!.id, (outcomes[0] as { id: string }).id, 'pending', 120_000],
        [invoices[2]!.id, (outcomes[2] as { id: string }).id, 'pending', 120_000],
      ].sort(),
    );
    // A subscribed webhook hears of each communication recorded, of none left out.
    const deliveries = await listDeliveries(db, company.id, hook.id);
    expect(deliveries.map((d) => d.event)).toEqual(['reminder.sent', 'reminder.sent']);
    // The reminded invoices are planned afresh next time; the one left out keeps its date.
    const dates = await rawQuery<{ number: string; next_action_date: string | null }>(
      db,
      'select number, next_action_date from invoices order by number',
    );
    expect(dates.map((d) => [d.number, d.next_action_date === null ? null : String(d.next_action_date)])).toEqual([
      ['F1', null],
      ['F2', expect.stringMatching(/^2030-01-01/)],
      ['F3', null],
    ]);
  });

  it('says which communication another run got to first, and records the others once', async () => {
    const { db } = store();
    const { company, customer, invoices } = await threeInvoices(db);
    const [mine, theirs] = await Promise.all(
      [1, 2].map(() => startRun(db, company.id, { date: '2025-03-01', kind: 'manual' })),
    );
    const communication = (runId: string, index: number): CommunicationInput => ({
      runId,
      customerId: customer.id,
      currency: 'EUR',
      level: 1,
      label: '1ère relance',
      date: '2025-03-01',
      channels: ['letter'],
      invoices: [{ invoiceId: invoices[index]!.id, level: 1 }],
    });
    expect((await recordCommunication(db, company.id, communication(theirs!.id, 1))).status).toBe('recorded');
    const outcomes = await recordCommunications(
      db,
      company.id,
      [0, 1, 2].map((i) => communication(mine!.id, i)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'raced', 'recorded']);
    expect([await count(db, 'communications'), await count(db, 'reminders')]).toEqual([3, 3]);
  });
});

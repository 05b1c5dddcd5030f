import { afterEach, describe, expect, it } from 'vitest';
import { produceRunLetters } from '../../src/documents/run-letters.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { addContact } from '../../src/storage/customers.ts';
import { listReminders, recordCommunication, startRun } from '../../src/storage/dunning.ts';
import { setDispute } from '../../src/storage/invoices.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { listAudit } from '../../src/storage/audit.ts';
import { outboxErrorText } from '../../src/mail/outbox-errors.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { dialects } from '../support/stores.ts';
import { LETTER_IDENTITY, seedLedger, useStore } from '../repositories/helpers.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { parse } from './support/fixtures.ts';
import { handleBounce } from '../../src/mail/bounces.ts';
import { dsn } from './support/dsn.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

// F1 (1 200,00 €, due 2025-01-31) is due for its 1ère relance on 2025-02-20 under the default policy.
const DAY = '2025-02-20';

describe.each(dialects)('the send-time check on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const seeded = await seedLedger(db);
    // Letters need the company's postal address and IBAN (a bounce turns the reminder into a letter).
    await updateCompany(db, seeded.company.id, LETTER_IDENTITY);
    await addContact(db, seeded.company.id, seeded.customer.id, {
      name: 'Éloïse',
      email: 'eloise@client.fr',
      phone: null,
      role: null,
      isPrimary: true,
    });
    sink = await startSink();
    await saveMailSettings(db, seeded.company.id, { smtpUrl: sink.url, from: 'relances@societe-a.fr' });
    const pay = (amount: number) =>
      insertPayment(db, seeded.company.id, {
        customerId: seeded.customer.id,
        date: DAY,
        currency: 'EUR',
        amount,
        method: 'transfer',
        reference: null,
        allocations: [{ invoiceId: seeded.invoice.id, amount }],
      });
    return { db, ...seeded, pay };
  }

  it('a reminder queued, then the invoice paid in full: nothing reaches the SMTP peer, the message is cancelled with its reason, the level is not counted', async () => {
    const { db, company, pay } = await setup();
    await createWebhook(db, company.id, {
      url: 'https://hooks.example.test/in',
      secret: 's'.repeat(32),
      events: ['message.cancelled'],
    });
    expect((await runDunning(db, company.id, { date: DAY })).communications).toBe(1);
    await pay(120_000);
    const report = await dispatchOutbox(db, company.id);
    expect(report).toMatchObject({ sent: 0, cancelled: 1 });
    expect(sink!.received).toHaveLength(0);
    const [message] = await listOutbox(db, company.id);
    expect(message).toMatchObject({
      status: 'cancelled',
      // The log's text is the catalogue's, in the company's language: one wording wherever it is read.
      lastError: "Annulé avant l'envoi : la facture F1 est réglée ou soldée.",
      error: { code: 'outbox.errors.cancelled.settled', params: { invoice: 'F1' } },
    });
    // Stored as a code: each reader gets it in their language.
    expect(outboxErrorText(message!.error!, 'en')).toBe('Cancelled before sending: invoice F1 is paid or credited.');
    expect(await listReminders(db, company.id)).toEqual([]);
    // Kept for the record as cancelled, not counted.
    expect(await db.selectFrom('reminders').select(['level', 'state']).execute()).toEqual([
      { level: 2, state: 'cancelled' },
    ]);
    expect(await listAudit(db, company.id, { action: 'message.cancelled' })).toHaveLength(1);
    const deliveries = await db.selectFrom('webhook_deliveries').select(['event', 'payload']).execute();
    expect(deliveries.map((d) => d.event)).toEqual(['message.cancelled']);
    expect(JSON.parse(deliveries[0]!.payload)).toMatchObject({ data: { reason: 'settled', invoice: 'F1' } });
    // Nothing left to chase: the next runs send nothing.
    expect((await runDunning(db, company.id, { date: '2025-03-20' })).communications).toBe(0);
  });

  it("a partial payment since: cancelled, then the next run sends the reminder again with today's amount, once", async () => {
    const { db, company, pay } = await setup();
    await runDunning(db, company.id, { date: DAY });
    await pay(50_000);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 0, cancelled: 1 });
    const again = await runDunning(db, company.id, { date: DAY });
    expect(again.communications).toBe(1);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1, cancelled: 0 });
    expect(sink!.received).toHaveLength(1);
    const mail = await parse(sink!.received[0]!.raw);
    expect(mail.text).toMatch(/700,00\s€ restant dû/);
    expect((await listReminders(db, company.id)).map((r) => [r.invoice, r.level])).toEqual([['F1', 2]]);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 0 });
  });

  it('a change that does not touch what is demanded (a new contact, a due date) does not cancel the message', async () => {
    const { db, company, customer } = await setup();
    await runDunning(db, company.id, { date: DAY });
    await addContact(db, company.id, customer.id, {
      name: 'Comptabilité',
      email: 'compta@client.fr',
      phone: null,
      role: null,
      isPrimary: false,
    });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1, cancelled: 0 });
    expect((await listReminders(db, company.id)).map((r) => [r.invoice, r.level])).toEqual([['F1', 2]]);
  });

  it('a dispute since: cancelled with that reason', async () => {
    const { db, company } = await setup();
    await runDunning(db, company.id, { date: DAY });
    await setDispute(db, company.id, 'F1', 'Livraison incomplète');
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 0, cancelled: 1 });
    expect((await listOutbox(db, company.id))[0]!.lastError).toBe(
      "Annulé avant l'envoi : la facture F1 est en litige.",
    );
  });

  it("a run's letter is not printed for an invoice paid before printing; its communication is cancelled", async () => {
    const { db, company, customer, invoice, pay } = await setup();
    const run = (await startRun(db, company.id, { date: DAY, kind: 'manual' }))!;
    const inv = await db
      .selectFrom('invoices')
      .select('updated_at')
      .where('id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    await recordCommunication(db, company.id, {
      runId: run.id,
      customerId: customer.id,
      currency: 'EUR',
      level: 2,
      label: '1ère relance',
      date: DAY,
      channels: ['letter'],
      invoices: [{ invoiceId: invoice.id, level: 2, updatedAt: inv.updated_at }],
    });
    await pay(120_000);
    expect(await produceRunLetters(db, company.id, run.id, { dataDir: `/tmp/relance-i16-${dialect}` })).toBeNull();
    expect(await listReminders(db, company.id)).toEqual([]);
    const communication = await db.selectFrom('communications').select(['cancel_reason']).executeTakeFirstOrThrow();
    expect(communication.cancel_reason).toBe('settled');
  });

  it('a bounced reminder is sent again as a letter at the same level, the address flagged', async () => {
    const { db, company } = await setup();
    await runDunning(db, company.id, { date: DAY });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    const [sent] = await listOutbox(db, company.id);
    expect((await handleBounce(db, dsn(sent!.messageId, 'eloise@client.fr'))).flagged).toBe(1);
    expect(await listReminders(db, company.id)).toEqual([]);
    const next = await runDunning(db, company.id, { date: '2025-02-21', dataDir: `/tmp/relance-i16-${dialect}` });
    expect(next.plan.communications.map((c) => [c.level, c.label, c.channels])).toEqual([
      [2, '1ère relance', ['letter']],
    ]);
    expect((await listReminders(db, company.id)).map((r) => [r.invoice, r.level, r.channel])).toEqual([
      ['F1', 2, 'letter'],
    ]);
  });
});

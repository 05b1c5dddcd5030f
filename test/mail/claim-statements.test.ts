import type { CompiledQuery, KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import type { Mailer, OutgoingMail } from '../../src/mail/transport.ts';
import type { Db } from '../../src/storage/database.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { enqueueMessages, INTERRUPTED, listOutbox } from '../../src/storage/outbox.ts';
import { newId } from '../../src/shared/ids.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';
import { invoiceInput, seedLedger } from '../repositories/helpers.ts';
import { queueOne, storeInvoicePdf } from './support/fixtures.ts';

const MESSAGES = 40;

/** A mailer that accepts everything and keeps what it was given. */
function memoryMailer(connections: number, onAccept?: (mail: OutgoingMail) => void) {
  const delivered: OutgoingMail[] = [];
  const mailer: Mailer = {
    description: 'in memory',
    connections,
    close: () => {},
    send: async (mail) => {
      delivered.push(mail);
      onAccept?.(mail);
      return { response: '250 accepted', rejected: [] };
    },
  };
  return { mailer, delivered };
}

/** `count` reminders as a run records them: an invoice with its stored PDF, a communication, a pending reminder. */
async function queueReminders(db: Db, companyId: string, customerId: string, count: number) {
  const now = new Date().toISOString();
  const queued: { invoiceId: string; messageId: string; pdf: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const invoice = await createInvoice(db, companyId, customerId, invoiceInput(`R${i}`));
    const pdf = Buffer.from(`%PDF-1.4 facture R${i}`);
    await storeInvoicePdf(db, companyId, invoice.id, pdf);
    const communicationId = newId();
    await db
      .insertInto('communications')
      .values({
        company_id: companyId,
        id: communicationId,
        run_id: null,
        customer_id: customerId,
        currency: 'EUR',
        level: 1,
        label: 'Relance 1',
        channels: 'email',
        created_at: now,
        cancelled_at: null,
        cancel_reason: null,
      })
      .execute();
    await db
      .insertInto('reminders')
      .values({
        company_id: companyId,
        id: newId(),
        invoice_id: invoice.id,
        level: 1,
        sent_on: '2025-02-20',
        channel: 'email',
        run_id: null,
        communication_id: communicationId,
        state: 'pending',
        balance: 120_000,
        created_at: now,
      })
      .execute();
    const [message] = await enqueueMessages(db, companyId, [
      {
        kind: 'reminder',
        idempotencyKey: `reminder:R${i}`,
        communicationId,
        customerId,
        to: [`client${i}@exemple.fr`],
        subject: `Relance : facture R${i}`,
        text: `La facture R${i} reste impayée.`,
        attachments: [{ kind: 'invoice', invoiceId: invoice.id, filename: `R${i}.pdf` }],
      },
    ]);
    queued.push({ invoiceId: invoice.id, messageId: message!.messageId, pdf });
  }
  return queued;
}

const isClaim = (q: CompiledQuery) => /claimed as \(update outbox|update outbox set status = 'sending'/i.test(q.sql);
const claimsOf = (seen: CompiledQuery[]) => seen.filter(isClaim);

describe.each(dialects)('the outbox claim on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  async function setup() {
    const seen: { log: CompiledQuery[] | null } = { log: null };
    store = await freshStore(dialect, { onQuery: (query) => seen.log?.push(query) });
    const { db } = store;
    const seeded = await seedLedger(db);
    await saveMailSettings(db, seeded.company.id, {
      smtpUrl: 'smtp://127.0.0.1:2525',
      from: 'Société A <compta@societe-a.fr>',
    });
    return { db, seen, ...seeded };
  }

  it('claims several messages per statement, the previous ones marked sent in it', async () => {
    const { db, seen, company } = await setup();
    for (let k = 0; k < MESSAGES; k++) await queueOne(db, company.id, { to: [`client${k}@exemple.fr`] });
    const { mailer, delivered } = memoryMailer(4);

    seen.log = [];
    const report = await dispatchOutbox(db, company.id, { mailer });
    const claims = claimsOf(seen.log);
    seen.log = null;

    expect(report).toMatchObject({ sent: MESSAGES, failed: 0, retried: 0 });
    expect(new Set(delivered.map((m) => m.to.join(','))).size).toBe(MESSAGES);
    expect(delivered).toHaveLength(MESSAGES);
    const rows = await listOutbox(db, company.id);
    expect(rows.map((r) => r.status)).toEqual(Array(MESSAGES).fill('sent'));
    expect(rows.every((r) => r.attempts === 1 && r.smtpResponse === '250 accepted' && r.sentAt !== null)).toBe(true);
    // Claimed when at least half the four connections are free: two or more messages a claim, plus the last
    // claims that find nothing (and write the last marks).
    expect(claims.length).toBeGreaterThanOrEqual(MESSAGES / 4);
    expect(claims.length).toBeLessThanOrEqual(MESSAGES / 2 + 2);
  });

  it("reads the send-time check's rows and the stored PDFs with the claim, not once per message", async () => {
    const { db, seen, company, customer } = await setup();
    const queued = await queueReminders(db, company.id, customer.id, 12);
    // One invoice paid in full since its reminder was queued: the check read with the claim cancels it.
    await db
      .updateTable('invoices')
      .set({ allocated: 120_000 })
      .where('company_id', '=', company.id)
      .where('id', '=', queued[5]!.invoiceId)
      .execute();
    const { mailer, delivered } = memoryMailer(4);

    seen.log = [];
    const report = await dispatchOutbox(db, company.id, { mailer });
    const log = seen.log;
    seen.log = null;

    expect(report).toMatchObject({ sent: 11, cancelled: 1, failed: 0 });
    // Each e-mail carries its own invoice's PDF, as stored.
    for (const [i, item] of queued.entries()) {
      const mail = delivered.find((m) => m.messageId === item.messageId);
      if (i === 5) expect(mail).toBeUndefined();
      else expect(mail!.attachments.map((a) => a.content)).toEqual([item.pdf]);
    }
    const reminders = await db
      .selectFrom('reminders')
      .select(['invoice_id', 'state'])
      .where('company_id', '=', company.id)
      .execute();
    const states = new Map(reminders.map((r) => [r.invoice_id, r.state]));
    expect(queued.map((q) => states.get(q.invoiceId))).toEqual(queued.map((_, i) => (i === 5 ? 'cancelled' : 'sent')));

    const claims = claimsOf(log).length;
    const reads = (table: RegExp) => log.filter((q) => table.test(q.sql) && !isClaim(q));
    expect(claims).toBeLessThanOrEqual(12 / 2 + 2);
    if (dialect === 'postgres') {
      // One round trip per batch: the PDFs and the check's rows come back with the claimed rows.
      expect(reads(/invoice_files/i)).toEqual([]);
      expect(reads(/from communications m/i)).toEqual([]);
    } else {
      // In the claim's transaction: one read of each per batch.
      expect(reads(/from invoice_files/i).length).toBeLessThanOrEqual(claims);
      expect(reads(/from communications m/i).length).toBeLessThanOrEqual(claims);
    }
  });

  it('a crash between the SMTP acceptance and the sent mark sends nothing twice: the message is shown interrupted', async () => {
    const { db, company } = await setup();
    for (let k = 0; k < MESSAGES; k++) await queueOne(db, company.id, { to: [`client${k}@exemple.fr`] });
    // The database goes away right after the server accepted the 10th message: its mark (and those of the
    // messages accepted with it) is never written, as when the process dies at that instant.
    let dead = false;
    const crash: KyselyPlugin = {
      transformQuery: (args) => {
        if (dead) throw new Error('connection lost');
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const first = memoryMailer(4, () => {
      if (first.delivered.length === 10) dead = true;
    });
    const crashed = await dispatchOutbox(db.withPlugin(crash), company.id, {
      mailer: first.mailer,
      leaseSeconds: 0,
    }).catch((error: unknown) => error);
    expect(crashed).toMatchObject({ message: 'connection lost' });
    const accepted = new Set(first.delivered.map((m) => m.messageId));
    const after = await listOutbox(db, company.id, { limit: 100 });
    const inDoubt = after.filter((r) => r.status === 'sending');
    // Accepted but not marked: left `sending`, at most one per connection; nothing marked sent was not accepted.
    expect(inDoubt.length).toBeGreaterThan(0);
    expect(inDoubt.length).toBeLessThanOrEqual(4);
    expect(inDoubt.every((r) => accepted.has(r.messageId))).toBe(true);
    expect(after.filter((r) => r.status === 'sent').every((r) => accepted.has(r.messageId))).toBe(true);

    // The next dispatch, once the lease ran out, shows them as interrupted and sends only the others.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = memoryMailer(4);
    const report = await dispatchOutbox(db, company.id, { mailer: second.mailer });
    expect(report.interrupted).toBe(inDoubt.length);
    const all = [...first.delivered, ...second.delivered].map((m) => m.messageId);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(MESSAGES);
    const rows = await listOutbox(db, company.id, { limit: 100 });
    for (const row of rows) {
      if (inDoubt.some((r) => r.id === row.id)) expect(row).toMatchObject({ status: 'failed', lastError: INTERRUPTED });
      else expect(row.status).toBe('sent');
    }
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchOutbox, NO_SMTP } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { smtpMailer } from '../../src/mail/transport.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { INTERRUPTED, listOutbox, messageIdFor } from '../../src/storage/outbox.ts';
import { dialects } from '../support/stores.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { makePdf, parse, pdfText, queueOne, storeInvoicePdf } from './support/fixtures.ts';
import { describeDispatch } from '../../src/mail/describe-dispatch.ts';
import { outboxErrorText } from '../../src/mail/outbox-errors.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe.each(dialects)('dispatching the outbox on %s', (dialect) => {
  const store = useStore(dialect);

  it('delivers content, recipients, accents, the derived Message-ID and a PDF that opens', async () => {
    const { db } = store();
    const { company, invoice } = await seedLedger(db);
    sink = await startSink();
    await saveMailSettings(db, company.id, {
      smtpUrl: sink.url,
      from: 'Société A <compta@societe-a.fr>',
      replyTo: 'recouvrement@societe-a.fr',
    });
    await storeInvoicePdf(db, company.id, invoice.id, await makePdf('Facture F1 - 1 200,00 EUR'));
    const queued = await queueOne(db, company.id, {
      idempotencyKey: 'reminder:1:abc',
      messageIdDomain: 'societe-a.fr',
      to: ['marie.dupont@client.fr', 'compta@client.fr'],
      cc: ['commercial@societe-a.fr'],
      bcc: ['archive@societe-a.fr'],
      subject: 'Relance : facture F1 échue — 1 200,00 €',
      text: 'Bonjour Mme Dupont,\nSauf erreur de notre part, la facture F1 reste impayée.\nCordialement, Société A',
      html: '<p>Bonjour Mme Dupont,</p><p>La facture <b>F1</b> reste impayée (1 200,00 €).</p>',
      attachments: [{ kind: 'invoice', invoiceId: invoice.id, filename: 'Facture F1.pdf' }],
    });

    const report = await dispatchOutbox(db, company.id);
    expect(report).toMatchObject({ sent: 1, failed: 0, retried: 0 });
    expect(sink.received).toHaveLength(1);
    const [received] = sink.received;
    expect(received!.from).toBe('compta@societe-a.fr');
    expect(received!.to.sort()).toEqual([
      'archive@societe-a.fr',
      'commercial@societe-a.fr',
      'compta@client.fr',
      'marie.dupont@client.fr',
    ]);
    const mail = await parse(received!.raw);
    expect(mail.messageId).toBe(messageIdFor(company.id, 'reminder:1:abc', 'societe-a.fr'));
    expect(mail.messageId).toBe(queued.messageId);
    expect(mail.subject).toBe('Relance : facture F1 échue — 1 200,00 €');
    expect(mail.text).toContain('la facture F1 reste impayée');
    expect(mail.html).toContain('<b>F1</b> reste impayée (1 200,00 €)');
    expect(mail.from?.value).toEqual([{ name: 'Société A', address: 'compta@societe-a.fr' }]);
    expect(mail.replyTo?.text).toBe('recouvrement@societe-a.fr');
    // BCC goes in the envelope only: the customer never sees it.
    expect(received!.raw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'Facture F1.pdf', contentType: 'application/pdf' });
    expect(await pdfText(mail.attachments[0]!.content)).toContain('Facture F1 - 1 200,00 EUR');

    const [row] = await listOutbox(db, company.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(row!.sentAt).not.toBeNull();
    expect(row!.smtpResponse).toMatch(/^250/);
  });

  it('retries a transient refusal later with the same Message-ID, then marks it sent', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink({ verdict: (_m, index) => (index === 0 ? 451 : null) });
    await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    const queued = await queueOne(db, company.id);

    const first = await dispatchOutbox(db, company.id, { backoffSeconds: 3600 });
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    let [row] = await listOutbox(db, company.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.lastError).toMatch(/451/);
    expect(Date.parse(row!.nextAttemptAt)).toBeGreaterThan(Date.now() + 3000_000);
    // Not due yet: a dispatch now leaves it alone.
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 0, retried: 0 });

    await rawQuery(db, `update outbox set next_attempt_at = '2000-01-01T00:00:00.000Z'`);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    [row] = await listOutbox(db, company.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(sink.attempts).toBe(2);
    expect(sink.received.map((m) => m.messageId)).toEqual([queued.messageId]);
  });

  it("marks a permanent refusal failed with the server's reason and gives up transient ones after the last attempt", async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink({ verdict: (message) => (message.to.includes('nobody@client.fr') ? 550 : 421) });
    await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    await queueOne(db, company.id, { to: ['nobody@client.fr'], subject: 'permanent' });
    await queueOne(db, company.id, { to: ['busy@client.fr'], subject: 'transient' });

    // With no backoff the retry comes round within the same dispatch.
    expect(await dispatchOutbox(db, company.id, { backoffSeconds: 0, maxAttempts: 2 })).toMatchObject({
      failed: 2,
      retried: 1,
    });
    expect(sink.attempts).toBe(3);
    const rows = await listOutbox(db, company.id, { status: 'failed' });
    const bySubject = new Map(rows.map((r) => [r.subject, r]));
    expect(bySubject.get('permanent')).toMatchObject({ attempts: 1 });
    expect(bySubject.get('permanent')!.lastError).toMatch(/550/);
    expect(bySubject.get('transient')!.lastError).toMatch(/gave up after 2 attempts: .*421/);
    expect(sink.received).toHaveLength(0);
  });

  it('without an SMTP server writes .eml files and reports the messages as not sent', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    const previous = process.env.RELANCE_SMTP_URL;
    delete process.env.RELANCE_SMTP_URL;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'relance-eml-'));
      const queued = await queueOne(db, company.id, { subject: 'Relance : facture échue' });
      const report = await dispatchOutbox(db, company.id, { dataDir });
      expect(report).toMatchObject({ sent: 0, notSent: 1 });
      const [row] = await listOutbox(db, company.id);
      expect(row).toMatchObject({ status: 'queued', lastError: NO_SMTP, sentAt: null });
      expect(existsSync(row!.emlPath!)).toBe(true);
      const mail = await parse(readFileSync(row!.emlPath!));
      expect(mail.subject).toBe('Relance : facture échue');
      expect(mail.messageId).toBe(queued.messageId);
      // A second dispatch does not write it again and still does not call it sent.
      expect(await dispatchOutbox(db, company.id, { dataDir })).toMatchObject({ sent: 0, notSent: 1 });
    } finally {
      if (previous !== undefined) process.env.RELANCE_SMTP_URL = previous;
    }
  });

  it('never re-sends a message a dead dispatcher left in sending: it becomes a visible failure', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink();
    await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    const stuck = await queueOne(db, company.id, { subject: 'stuck' });
    const fresh = await queueOne(db, company.id, { subject: 'fresh' });
    await rawQuery(
      db,
      `update outbox set status = 'sending', attempts = 1, lease_until = '2000-01-01T00:00:00.000Z'
      where id = '${stuck.id}'`,
    );
    const report = await dispatchOutbox(db, company.id);
    expect(report).toMatchObject({ sent: 1, interrupted: 1 });
    expect(sink.received.map((m) => m.messageId)).toEqual([fresh.messageId]);
    const [failed] = await listOutbox(db, company.id, { status: 'failed' });
    expect(failed).toMatchObject({ id: stuck.id, lastError: INTERRUPTED });
  });

  it("stops at a refused login without spending the messages' attempts, and sends once the password is right", async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink({ password: 's3cret' });
    await saveMailSettings(db, company.id, { smtpUrl: `smtp://relance:wrong@127.0.0.1:${sink.port}` });
    await queueOne(db, company.id);
    await queueOne(db, company.id);
    const refused = await dispatchOutbox(db, company.id);
    expect(refused).toMatchObject({ sent: 0, failed: 0 });
    expect(refused.stopped).toMatch(/535|Invalid/);
    // Said from the catalogue, in the reader's language, in the report and on each waiting message.
    expect(describeDispatch(refused, 'fr')).toContain("arrêté : le serveur refuse l'identifiant ou le mot de passe");
    const queued = await listOutbox(db, company.id, { status: 'queued' });
    expect(queued).toHaveLength(2);
    expect(outboxErrorText(queued[0]!.error!, 'en')).toBe(
      'Sending stopped: the SMTP server refuses the user name or the password (Settings > E-mail).',
    );
    expect(queued.map((m) => m.attempts)).toEqual([0, 0]);
    await saveMailSettings(db, company.id, { smtpUrl: `smtp://relance:s3cret@127.0.0.1:${sink.port}` });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2, stopped: null });
  });

  it('signs with DKIM when the company has a key', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await saveMailSettings(db, company.id, {
      smtpUrl: sink.url,
      from: 'compta@societe-a.fr',
      dkim: {
        domain: 'societe-a.fr',
        selector: 'relance',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await queueOne(db, company.id);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    const head = sink.received[0]!.raw.toString('latin1')
      .split('\r\n\r\n')[0]!
      .replace(/\r\n[ \t]+/g, ' ');
    expect(head).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;.* d=societe-a\.fr; .*s=relance;/m);
  });

  it('lets concurrent dispatchers share the outbox without sending a message twice', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink({ keepRaw: true });
    await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    for (let i = 0; i < 60; i++) await queueOne(db, company.id, { subject: `n°${i}` });
    const mailers = [smtpMailer(sink.url, { maxConnections: 3 }), smtpMailer(sink.url, { maxConnections: 3 })];
    try {
      const reports = await Promise.all(mailers.map((mailer) => dispatchOutbox(db, company.id, { mailer })));
      expect(reports[0]!.sent + reports[1]!.sent).toBe(60);
    } finally {
      for (const mailer of mailers) mailer.close();
    }
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toHaveLength(60);
    expect(await listOutbox(db, company.id, { status: 'sent' })).toHaveLength(60);
  });
});

import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { handleBounce, startBounceListener } from '../../src/mail/bounces.ts';
import { dsn } from './support/dsn.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { addContact, listContacts } from '../../src/storage/customers.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { dialects } from '../support/stores.ts';
import { LETTER_IDENTITY, seedLedger, useStore } from '../repositories/helpers.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { parse, pdfText } from './support/fixtures.ts';
import { outboxErrorText } from '../../src/mail/outbox-errors.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function customerWithContact(db: Db) {
  const seeded = await seedLedger(db, { customerName: 'Dupont & Fils' });
  await updateCompany(db, seeded.company.id, LETTER_IDENTITY);
  await addContact(db, seeded.company.id, seeded.customer.id, {
    name: 'Marie Dupont',
    email: 'marie@client.fr',
    phone: null,
    role: 'billing',
    isPrimary: true,
  });
  return seeded;
}

describe.each(dialects)('a run sends its reminders through the outbox on %s', (dialect) => {
  const store = useStore(dialect);

  it('queues the e-mail with its reminder, then delivers the rendered template with the letter and the invoice attached', async () => {
    const { db } = store();
    const { company } = await customerWithContact(db);
    sink = await startSink();
    await saveMailSettings(db, company.id, {
      smtpUrl: sink.url,
      from: 'relances@societe-a.fr',
      bcc: ['archive@societe-a.fr'],
    });

    const result = await runDunning(db, company.id, { date: '2025-02-20' });
    expect(result.communications).toBe(1);
    const [queued] = await listOutbox(db, company.id);
    expect(queued).toMatchObject({
      kind: 'reminder',
      status: 'queued',
      to: ['marie@client.fr'],
      bcc: ['archive@societe-a.fr'],
    });
    const [communication] = await rawQuery<{ id: string; channels: string }>(
      db,
      'select id, channels from communications',
    );
    expect(queued!.communicationId).toBe(communication!.id);

    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    const mail = await parse(sink.received[0]!.raw);
    expect(mail.messageId).toBe(queued!.messageId);
    expect(mail.subject).toContain('F1');
    expect(mail.text).toContain('F1');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'application/pdf']);
    const [letter, invoice] = mail.attachments;
    expect(letter!.filename).toMatch(/^Relance C1 2025-02-20\.pdf$/);
    expect(await pdfText(letter!.content)).toContain('Dupont & Fils');
    expect(invoice!.filename).toBe('Facture F1.pdf');
    expect(await pdfText(invoice!.content)).toContain('F1');

    // Running again the same day records and queues nothing more.
    const again = await runDunning(db, company.id, { date: '2025-02-20' });
    expect(again.communications).toBe(0);
    expect(await listOutbox(db, company.id)).toHaveLength(1);
  });

  it('takes a bounce: the message is bounced, the address flagged, and the next reminder goes by letter', async () => {
    const { db } = store();
    const { company } = await customerWithContact(db);
    sink = await startSink();
    await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    await runDunning(db, company.id, { date: '2025-01-27' });
    await dispatchOutbox(db, company.id);
    const [sent] = await listOutbox(db, company.id);
    expect(sent!.status).toBe('sent');

    // A delay notice changes nothing; a failure bounces.
    expect((await handleBounce(db, dsn(sent!.messageId, 'marie@client.fr', 'delayed'))).message).toBeNull();
    const listener = await startBounceListener(db, { port: 0 });
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        envelope: { from: 'mailer-daemon@mx.client.fr', to: ['bounces@societe-a.fr'] },
        raw: dsn(sent!.messageId, 'Marie@Client.fr'),
      });
      transport.close();
    } finally {
      await listener.close();
    }
    const [bounced] = await listOutbox(db, company.id);
    expect(bounced!.status).toBe('bounced');
    expect(bounced!.lastError).toMatch(/5\.1\.1.*User unknown/);
    expect(outboxErrorText(bounced!.error!, 'fr')).toBe(
      "Revenu en erreur (5.1.1), l'adresse est signalée : l'adresse du destinataire n'existe pas (corrigez l'e-mail du contact).",
    );
    const [contact] = await listContacts(db, company.id, sent!.customerId!);
    expect(contact!.email).toBe('marie@client.fr');
    const [flag] = await rawQuery<{ email_bounced_at: string | null }>(db, 'select email_bounced_at from contacts');
    expect(flag!.email_bounced_at).not.toBeNull();

    const next = await runDunning(db, company.id, { date: '2025-02-20' });
    expect(next.communications).toBe(1);
    // The plan itself already shows the letter.
    expect(next.plan.communications.map((c) => c.channels)).toEqual([['letter']]);
    const channels = await rawQuery<{ level: number; channels: string }>(
      db,
      'select level, channels from communications order by level',
    );
    expect(channels).toEqual([
      { level: 1, channels: 'email' },
      { level: 2, channels: 'letter' },
    ]);
    expect(await listOutbox(db, company.id)).toHaveLength(1);
  });
});

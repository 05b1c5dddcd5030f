import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { planDunning, runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { startReplyListener, type ReplyListener } from '../../src/mail/replies.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { customerReplies, replyAttachment, unreadReplies } from '../../src/replies/list-replies.ts';
import { markReplyRead } from '../../src/replies/mark-reply-read.ts';
import { savePolicy } from '../../src/dunning/save-policy.ts';
import { DEFAULT_POLICY_JSON } from '../../src/domain/dunning/policy.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { addContact } from '../../src/storage/customers.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { LETTER_IDENTITY, seedLedger, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { parse } from '../mail/support/fixtures.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';

let sink: Sink | undefined;
let listener: ReplyListener | undefined;
afterEach(async () => {
  await sink?.close();
  await listener?.close();
  sink = undefined;
  listener = undefined;
});

/** A customer reminded once (level 1 on 2025-02-20), the reminder received by a real SMTP peer. */
async function remindedCustomer(db: Db) {
  const seeded = await seedLedger(db, { customerName: 'Dupont & Fils' });
  await updateCompany(db, seeded.company.id, LETTER_IDENTITY);
  await addContact(db, seeded.company.id, seeded.customer.id, {
    name: 'Marie Dupont',
    email: 'marie@client.fr',
    phone: null,
    role: 'billing',
    isPrimary: true,
  });
  sink = await startSink();
  await saveMailSettings(db, seeded.company.id, {
    smtpUrl: sink.url,
    from: 'relances@societe-a.fr',
    replyTo: 'compta@societe-a.fr',
    replyAddress: 'reponses@societe-a.fr',
  });
  await runDunning(db, seeded.company.id, { date: '2025-02-20' });
  await dispatchOutbox(db, seeded.company.id);
  const received = await parse(sink.received[0]!.raw);
  const replyTo = received.replyTo!.value[0]!.address!;
  const [sent] = await listOutbox(db, seeded.company.id);
  return { ...seeded, replyTo, messageId: sent!.messageId };
}

async function send(port: number, to: string, raw: string, from = 'marie@client.fr'): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

function message(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({
    From: 'Marie Dupont <marie@client.fr>',
    To: 'reponses@societe-a.fr',
    Date: 'Fri, 21 Feb 2025 09:00:00 +0100',
    'MIME-Version': '1.0',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n${body}`;
}

function withAttachment(headers: Record<string, string>, text: string, file: { name: string; bytes: Buffer }) {
  const boundary = 'frontier42';
  return message(
    { ...headers, 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
    [
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      `--${boundary}`,
      `Content-Type: application/pdf; name="${file.name}"`,
      `Content-Disposition: attachment; filename="${file.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      file.bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

async function reasonOn(db: Db, companyId: string, date: string) {
  const plan = await planDunning(db, companyId, { date });
  return plan.items.map((i) => [i.invoice, i.action, i.reason?.code ?? null]);
}

describe.each(dialects)('the reply listener on %s', (dialect) => {
  const store = useStore(dialect);

  it('tags the Reply-To per customer, stores a real answer with its attachment, holds the next step until it is read', async () => {
    const { db } = store();
    const { company, customer, replyTo, messageId } = await remindedCustomer(db);
    expect(replyTo).toMatch(/^reponses\+[a-z2-7]{39}@societe-a\.fr$/);
    // Without an answer the second step goes on 2025-03-10.
    expect(await reasonOn(db, company.id, '2025-03-10')).toEqual([['F1', 'send', null]]);

    listener = await startReplyListener(db, { port: 0 });
    const pdf = Buffer.from('%PDF-1.4 proof of payment');
    await send(
      listener.port,
      replyTo,
      withAttachment(
        {
          Subject: 'Re: Relance facture F1',
          'Message-ID': '<answer-1@client.fr>',
          'In-Reply-To': messageId,
          References: messageId,
        },
        'Bonjour, le virement est parti hier. <script>alert(1)</script>',
        { name: 'virement.pdf', bytes: pdf },
      ),
    );

    const actor = systemActor(company.id);
    const [reply] = await customerReplies(db, actor, customer.id);
    expect(reply).toMatchObject({
      customerCode: customer.code,
      from: 'marie@client.fr',
      subject: 'Re: Relance facture F1',
      inReplyTo: messageId,
      autoReply: false,
      readAt: null,
      attachments: [{ position: 0, filename: 'virement.pdf', contentType: 'application/pdf', size: pdf.length }],
    });
    expect(reply!.text).toContain('le virement est parti hier');
    expect((await replyAttachment(db, actor, { replyId: reply!.id, position: 0 })).content).toEqual(pdf);
    expect(await unreadReplies(db, actor)).toMatchObject({ count: 1 });
    const audit = await rawQuery<{ action: string }>(
      db,
      "select action from audit_log where action = 'customer.replied'",
    );
    expect(audit).toHaveLength(1);

    // The same message delivered again is stored once.
    await send(
      listener.port,
      replyTo,
      message({ Subject: 'Re: Relance facture F1', 'Message-ID': '<answer-1@client.fr>' }, '\r\nencore'),
    );
    expect(await customerReplies(db, actor, customer.id)).toHaveLength(1);

    // The hold shows in the plan, and lifts once someone reads the answer.
    expect(await reasonOn(db, company.id, '2025-03-10')).toEqual([['F1', 'wait', 'reply_unread']]);
    await markReplyRead(db, actor, { replyId: reply!.id, read: true });
    expect(await unreadReplies(db, actor)).toMatchObject({ count: 0 });
    expect(await reasonOn(db, company.id, '2025-03-10')).toEqual([['F1', 'send', null]]);
  });

  it('keeps out-of-office and RFC 3834 answers marked as automatic, without any hold', async () => {
    const { db } = store();
    const { company, customer, replyTo } = await remindedCustomer(db);
    listener = await startReplyListener(db, { port: 0 });
    await send(
      listener.port,
      replyTo,
      message(
        { Subject: 'Réponse automatique : Relance facture F1', 'Message-ID': '<oof-1@client.fr>' },
        '\r\nJe suis absente du bureau jusqu’au 3 mars.',
      ),
    );
    await send(
      listener.port,
      replyTo,
      message(
        { Subject: 'Re: Relance facture F1', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<auto-2@client.fr>' },
        '\r\nMessage reçu.',
      ),
    );
    const replies = await customerReplies(db, systemActor(company.id), customer.id);
    expect(replies.map((r) => [r.autoReply, r.autoReason]).sort()).toEqual([
      [true, 'auto_submitted'],
      [true, 'subject'],
    ]);
    expect(await unreadReplies(db, systemActor(company.id))).toMatchObject({ count: 0 });
    expect(await reasonOn(db, company.id, '2025-03-10')).toEqual([['F1', 'send', null]]);
  });

  it('holds nothing when the policy says so', async () => {
    const { db } = store();
    const { company, replyTo } = await remindedCustomer(db);
    await savePolicy(db, systemActor(company.id), {
      definition: { ...DEFAULT_POLICY_JSON, pauseOnReply: false },
      makeDefault: true,
    });
    listener = await startReplyListener(db, { port: 0 });
    await send(listener.port, replyTo, message({ Subject: 'Re: F1' }, '\r\nJe conteste.'));
    expect(await unreadReplies(db, systemActor(company.id))).toMatchObject({ count: 1 });
    expect(await reasonOn(db, company.id, '2025-03-10')).toEqual([['F1', 'send', null]]);
  });

  it('refuses unknown recipients, forged tags, oversized messages and plain-address mail that answers nothing of ours', async () => {
    const { db } = store();
    const { company, customer, replyTo, messageId } = await remindedCustomer(db);
    listener = await startReplyListener(db, { port: 0, limits: { maxBytes: 20_000 } });
    const body = message({ Subject: 'Re: F1' }, '\r\nBonjour');
    await expect(send(listener.port, 'someone@societe-a.fr', body)).rejects.toMatchObject({ responseCode: 550 });
    const tag = replyTo.slice('reponses+'.length, replyTo.indexOf('@'));
    for (const at of [3, 20, tag.length - 1]) {
      const forged = `reponses+${tag.slice(0, at)}${tag[at] === 'a' ? 'b' : 'a'}${tag.slice(at + 1)}@societe-a.fr`;
      await expect(send(listener.port, forged, body), forged).rejects.toMatchObject({ responseCode: 550 });
    }
    const big = withAttachment({ Subject: 'Re: F1' }, 'scan', { name: 'scan.pdf', bytes: Buffer.alloc(40_000, 7) });
    await expect(send(listener.port, replyTo, big)).rejects.toMatchObject({ responseCode: 552 });
    await expect(send(listener.port, 'reponses@societe-a.fr', body)).rejects.toMatchObject({ responseCode: 550 });
    expect(await customerReplies(db, systemActor(company.id), customer.id)).toHaveLength(0);

    // The plain address is enough when the answer names our message (a mail program that dropped the tag).
    await send(
      listener.port,
      'reponses@societe-a.fr',
      message({ Subject: 'Re: F1', 'In-Reply-To': messageId }, '\r\nPayé ce matin.'),
    );
    const [reply] = await customerReplies(db, systemActor(company.id), customer.id);
    expect(reply).toMatchObject({ inReplyTo: messageId, autoReply: false });
  });
});

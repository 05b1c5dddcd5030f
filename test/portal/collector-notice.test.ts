import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { recordReply, type ReplyInput } from '../../src/replies/record-reply.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { updateCustomer } from '../../src/storage/customers.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { parse } from '../mail/support/fixtures.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';

const BASE = 'https://pay.example.test';

type Mail = { to: string[]; subject: string; text: string; replyTo: string | null };

describe.each(dialects)("the collector's notices on %s", (dialect) => {
  let f: Fixture;
  let sink: Sink;
  let previous: string | undefined;
  const get = (url: string) => f.app.inject({ method: 'GET', url });
  const post = (url: string, form: Record<string, string>) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const csrfOf = (html: string, form: string) =>
    new RegExp(`action="[^"]*/${form}"[^>]*><input type="hidden" name="csrf" value="([^"]+)"`).exec(html)![1]!;
  async function pageOf(customerId: string): Promise<{ path: string; html: string }> {
    const issued = await call(f.app, f.tokens.admin, 'POST', `/api/v1/customers/${customerId}/portal-links`);
    expect(issued.status).toBe(201);
    const path = new URL(issued.body.url).pathname;
    return { path, html: (await get(path)).body };
  }
  /** Sends what is queued to the real SMTP peer and reads back what it received since the last call. */
  let seen = 0;
  async function delivered(): Promise<Mail[]> {
    await dispatchOutbox(f.store.db, f.alpha.company.id);
    const fresh = sink.received.slice(seen);
    seen = sink.received.length;
    const mails: Mail[] = [];
    for (const r of fresh) {
      const parsed = await parse(r.raw);
      mails.push({
        to: r.to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        replyTo: parsed.replyTo?.value[0]?.address ?? null,
      });
    }
    return mails;
  }
  const reply = (customerId: string, overrides: Partial<ReplyInput> = {}): ReplyInput => ({
    customerId,
    inReplyTo: null,
    outboxId: null,
    rfcMessageId: null,
    from: 'compta@am.example',
    subject: 'Re: Relance facture A-F1',
    text: 'Bonjour,\nle virement part vendredi.',
    autoReason: null,
    size: 120,
    attachments: [],
    ...overrides,
  });

  beforeAll(async () => {
    previous = process.env.RELANCE_PUBLIC_URL;
    process.env.RELANCE_PUBLIC_URL = BASE;
    f = await fixture(dialect, { portalLimit: { max: 10_000, windowMs: 60_000 } });
    sink = await startSink();
    await saveMailSettings(f.store.db, f.alpha.company.id, {
      smtpUrl: sink.url,
      from: 'relances@alpha.example',
      replyTo: 'compta@alpha.example',
      replyAddress: 'reponses@alpha.example',
    });
  });
  afterEach(async () => {
    await updateCompany(f.store.db, f.alpha.company.id, { notifyAnswers: true, locale: 'fr' });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
    else process.env.RELANCE_PUBLIC_URL = previous;
    await sink.close();
    await f.dispose();
  });

  it("e-mails a page action to the customer's représentant, with the customer page's address", async () => {
    const { path, html } = await pageOf(f.alpha.marie.id);
    const done = await post(`${path}/promise`, {
      csrf: csrfOf(html, 'promise'),
      invoice: f.alpha.invoice.id,
      date: '2099-01-15',
    });
    expect(done.statusCode).toBe(303);
    const mails = await delivered();
    // The customer's receipt, and one notice to Marie's collector only.
    expect(mails.map((m) => m.to).sort()).toEqual([['compta@am.example'], [f.emails.restricted]]);
    const notice = mails.find((m) => m.to[0] === f.emails.restricted)!;
    expect(notice.subject).toBe('Alpha Marie client (AM) promet de payer');
    expect(notice.text).toContain('Promesse de paiement faite sur la page de paiement : facture A-F1, le 15/01/2099.');
    expect(notice.text).toContain(`Fiche client : ${BASE}/customers/${f.alpha.marie.id}`);
    // The receipt's Reply-To is the customer's own, like a reminder's: an answer to it reaches the timeline.
    const receipt = mails.find((m) => m !== notice)!;
    expect(receipt.replyTo).toMatch(/^reponses\+[a-z2-7]+@alpha\.example$/);
    expect(notice.replyTo).toBe('compta@alpha.example');
  });

  it("tells the admins when nobody is the customer's représentant, and tells a dispute", async () => {
    const { path, html } = await pageOf(f.alpha.paul.id);
    const done = await post(`${path}/dispute`, {
      csrf: csrfOf(html, 'dispute'),
      invoice: f.alpha.paulInvoice.id,
      reason: 'amount',
      message: 'Remise de 10 % oubliée.',
    });
    expect(done.statusCode).toBe(303);
    const mails = await delivered();
    // Paul's customer has no contact address: no receipt, only the notice.
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([f.emails.admin]);
    expect(mails[0]!.subject).toBe('Alpha Paul client (AP) conteste une facture');
    expect(mails[0]!.text).toContain('Remise de 10 % oubliée.');
    // The task filed for the collector names the disputed invoice, which the card of answers shows.
    const tasks = await f.store.db
      .selectFrom('customer_activities')
      .select(['invoice_id', 'assigned_to'])
      .where('customer_id', '=', f.alpha.paul.id)
      .where('kind', '=', 'task')
      .execute();
    expect(tasks).toEqual([{ invoice_id: f.alpha.paulInvoice.id, assigned_to: null }]);
  });

  it('tells a real answer once, with its words, and neither an automatic one nor a duplicate', async () => {
    const actor = systemActor(f.alpha.company.id);
    const attachment = { filename: 'avis.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') };
    await recordReply(
      f.store.db,
      actor,
      reply(f.alpha.marie.id, { rfcMessageId: '<r1@am.example>', attachments: [attachment] }),
    );
    await recordReply(f.store.db, actor, reply(f.alpha.marie.id, { rfcMessageId: '<r1@am.example>' }));
    await recordReply(
      f.store.db,
      actor,
      reply(f.alpha.marie.id, {
        subject: 'Absence du bureau',
        autoReason: 'subject',
        rfcMessageId: '<oof@am.example>',
      }),
    );
    const mails = await delivered();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([f.emails.restricted]);
    expect(mails[0]!.subject).toBe('Alpha Marie client (AM) a répondu');
    expect(mails[0]!.text).toContain(
      'Alpha Marie client (AM) a répondu à nos messages : compta@am.example, objet « Re: Relance facture A-F1 », 1 pièce jointe.',
    );
    expect(mails[0]!.text).toContain('> le virement part vendredi.');
  });

  it("speaks the company's language, and stays silent when the company turns notices off", async () => {
    const actor = systemActor(f.alpha.company.id);
    const patched = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { locale: 'en' });
    expect(patched.status).toBe(200);
    await recordReply(f.store.db, actor, reply(f.alpha.paul.id, { rfcMessageId: '<en@ap.example>' }));
    const [english] = await delivered();
    expect(english!.subject).toBe('Alpha Paul client (AP) replied');
    expect(english!.text).toContain('subject "Re: Relance facture A-F1", no attachment.');
    expect(english!.text).toContain(`Customer page: ${BASE}/customers/${f.alpha.paul.id}`);

    const off = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { notifyAnswers: false });
    expect(off.status).toBe(200);
    expect(off.body.notifyAnswers).toBe(false);
    await recordReply(f.store.db, actor, reply(f.alpha.paul.id, { rfcMessageId: '<off@ap.example>' }));
    const { path, html } = await pageOf(f.alpha.marie.id);
    await post(`${path}/promise`, { csrf: csrfOf(html, 'promise'), invoice: f.alpha.invoice.id, date: '2099-02-01' });
    const mails = await delivered();
    // Only the customer's receipt leaves.
    expect(mails.map((m) => m.to)).toEqual([['compta@am.example']]);
  });

  it("tells a French company in French of what an English-speaking customer did, whatever its locale's region", async () => {
    await updateCustomer(f.store.db, f.alpha.company.id, f.alpha.marie.id, { language: 'en' });
    try {
      // 'fr-FR' as the browser tests write it: French, like 'fr'.
      await updateCompany(f.store.db, f.alpha.company.id, { locale: 'fr-FR' });
      let { path, html } = await pageOf(f.alpha.marie.id);
      expect(html).toContain('<html lang="en"');
      const paid = await post(`${path}/paid`, {
        csrf: csrfOf(html, 'paid'),
        invoice: f.alpha.invoice.id,
        date: '2025-02-20',
        amount: '100,50',
        means: 'transfer',
      });
      expect(paid.statusCode).toBe(303);
      let mails = await delivered();
      const notice = mails.find((m) => m.to[0] === f.emails.restricted)!;
      const receipt = mails.find((m) => m !== notice)!;
      expect(notice.subject).toBe('Alpha Marie client (AM) annonce un paiement');
      expect(notice.text).toBe(
        'Bonjour,\n\nPaiement annoncé par le client sur la page de paiement : 100,50\u00a0€ le 20/02/2025 (Virement), ' +
          `factures A-F1.\n\nFiche client : ${BASE}/customers/${f.alpha.marie.id}\n\n— relance\n`,
      );
      // The customer's own receipt stays in the customer's language.
      expect(receipt.subject).toBe('Alpha: we have received your answer');
      expect(receipt.text).toContain('Bank transfer');

      // A real answer from that customer is told in French too.
      await recordReply(
        f.store.db,
        systemActor(f.alpha.company.id),
        reply(f.alpha.marie.id, {
          subject: 'Re: Reminder',
          text: 'We paid yesterday.',
          rfcMessageId: '<en@am.example>',
        }),
      );
      mails = await delivered();
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe('Alpha Marie client (AM) a répondu');
      expect(mails[0]!.text).toContain('objet « Re: Reminder », sans pièce jointe.');
      expect(mails[0]!.text).toContain('Son message :\n> We paid yesterday.');

      // An English company ('en-GB') reads the whole notice in English, the summary of the action included.
      await updateCompany(f.store.db, f.alpha.company.id, { locale: 'en-GB' });
      ({ path, html } = await pageOf(f.alpha.marie.id));
      const promised = await post(`${path}/promise`, {
        csrf: csrfOf(html, 'promise'),
        invoice: f.alpha.invoice.id,
        date: '2099-03-15',
      });
      expect(promised.statusCode).toBe(303);
      mails = await delivered();
      const english = mails.find((m) => m.to[0] === f.emails.restricted)!;
      expect(english.subject).toBe('Alpha Marie client (AM) promises to pay');
      expect(english.text).toContain('Promise to pay made on the payment page: invoice A-F1, on 15 March 2099.');
      expect(english.text).toContain(`Customer page: ${BASE}/customers/${f.alpha.marie.id}`);
    } finally {
      await updateCustomer(f.store.db, f.alpha.company.id, f.alpha.marie.id, { language: 'fr' });
    }
  });
});

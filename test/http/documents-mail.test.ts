import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { handleBounce } from '../../src/mail/bounces.ts';
import { getMailSettings } from '../../src/mail/settings.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { pdfText } from '../documents/pdf-support.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

async function pdf(f: Fixture, token: string, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await f.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body ? { payload: body } : {}),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes: response.rawPayload,
    text: response.statusCode === 200 ? await pdfText(response.rawPayload) : response.body,
  };
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function dsn(messageId: string, recipient: string): Buffer {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.am.example',
      'To: relances@alpha.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.am.example',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${messageId}`,
      'Subject: Relance',
      '',
      '--B--',
      '',
    ].join('\r\n'),
  );
}

describe.each(dialects)('documents, templates, outbox, mail and composer over HTTP on %s', (dialect) => {
  let f: Fixture;
  let sink: Sink;
  let admin: (method: string, url: string, body?: unknown) => ReturnType<typeof call>;
  beforeAll(async () => {
    f = await fixture(dialect);
    sink = await startSink();
    admin = (method, url, body) => call(f.app, f.tokens.admin, method as never, url, body);
  });
  afterAll(async () => {
    await sink.close();
    await f.dispose();
  });
  afterEach(() => {
    sink.received.length = 0;
  });

  it('serves the letter of an invoice, its copy, the statement and a selection batch as PDFs that say the right things', async () => {
    const letter = await pdf(
      f,
      f.tokens.viewer,
      'GET',
      `/api/v1/invoices/${f.alpha.invoice.id}/letter?date=2025-06-01`,
    );
    expect(letter.status).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toMatch(/^attachment; filename="relance-A-F1-2025-06-01\.pdf"$/);
    expect(letter.text).toContain('Alpha Marie client');
    expect(letter.text).toContain('A-F1');
    expect(letter.text).toMatch(/1\s?000,00\s?€/);

    const copy = await pdf(f, f.tokens.viewer, 'GET', `/api/v1/invoices/${f.alpha.invoice.id}/copy`);
    expect(copy.text).toContain('A-F1');
    const statement = await pdf(
      f,
      f.tokens.viewer,
      'GET',
      `/api/v1/customers/${f.alpha.marie.id}/statement?date=2025-06-01`,
    );
    expect(statement.text).toMatch(/Relevé de compte/);
    expect(statement.text).toContain('A-F3');

    // "Générer les relances" for a selection: one letter per customer, both in one PDF.
    const batch = await pdf(f, f.tokens.viewer, 'POST', '/api/v1/documents/letters', {
      invoiceIds: [f.alpha.invoice.id, f.alpha.paulInvoice.id],
      date: '2025-06-01',
    });
    expect(batch.status).toBe(200);
    expect(batch.headers['x-letters']).toBe('2');
    expect(batch.text).toContain('Alpha Marie client');
    expect(batch.text).toContain('Alpha Paul client');

    // Another représentant's invoice does not exist for a restricted collector; another company's for anyone.
    expect((await pdf(f, f.tokens.restricted, 'GET', `/api/v1/invoices/${f.alpha.paulInvoice.id}/letter`)).status).toBe(
      404,
    );
    expect(
      (
        await pdf(f, f.tokens.restricted, 'POST', '/api/v1/documents/letters', {
          invoiceIds: [f.alpha.invoice.id, f.alpha.paulInvoice.id],
        })
      ).status,
    ).toBe(404);
    expect((await pdf(f, f.tokens.betaAdmin, 'GET', `/api/v1/invoices/${f.alpha.invoice.id}/copy`)).status).toBe(404);
    const empty = await call(f.app, f.tokens.viewer, 'POST', '/api/v1/documents/letters', {});
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].field).toBe('body.invoiceIds');
  });

  it('templates: lists, refuses a field that does not parse with its field and line, saves, previews a draft, resets', async () => {
    const list = await admin('GET', '/api/v1/templates');
    expect(list.body.items).toHaveLength(16);
    expect(list.body.items[0]).toMatchObject({ key: 'standard', language: 'fr', custom: false });
    expect(
      (await admin('GET', '/api/v1/templates/variables')).body.variables.map((v: { name: string }) => v.name),
    ).toContain('customer.name');

    const broken = await admin('PUT', '/api/v1/templates/relance1/fr', {
      text: 'Bonjour,\n\n{% if customer.name %}\nsans fin',
    });
    expect(broken.status).toBe(422);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(broken.body.errors[0]).toMatchObject({ field: 'body.text', line: expect.any(Number) });
    const unknown = await admin('PUT', '/api/v1/templates/relance1/fr', { subject: 'Relance {{ customer.nom }}' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('body.subject');
    expect(unknown.body.detail).toContain('customer.nom');
    expect(
      (await call(f.app, f.tokens.collector, 'PUT', '/api/v1/templates/relance1/fr', { subject: 'x' })).status,
    ).toBe(403);

    const saved = await admin('PUT', '/api/v1/templates/relance1/fr', {
      subject: 'Rappel {{ references }} — {{ company.legalName }}',
    });
    expect(saved.body).toMatchObject({ custom: true, subject: 'Rappel {{ references }} — {{ company.legalName }}' });
    const preview = await call(f.app, f.tokens.viewer, 'POST', '/api/v1/templates/relance1/fr/preview', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
      level: 1,
      date: '2025-06-01',
    });
    expect(preview.body).toMatchObject({ subject: 'Rappel A-F1 — Alpha', to: ['compta@am.example'], level: 1 });
    const draft = await call(f.app, f.tokens.viewer, 'POST', '/api/v1/templates/relance1/en/preview', {
      draft: { subject: 'Sample for {{ customer.name }}' },
    });
    expect(draft.body.subject).toMatch(/^Sample for \S/);
    const badDraft = await call(f.app, f.tokens.viewer, 'POST', '/api/v1/templates/relance1/fr/preview', {
      draft: { text: '{{ nope }}' },
    });
    expect(badDraft.status).toBe(422);
    expect(badDraft.body.errors[0]).toMatchObject({ field: 'body.draft.text', line: 1 });

    const reset = await admin('DELETE', '/api/v1/templates/relance1/fr');
    expect(reset.body.custom).toBe(false);
    const audit = await admin('GET', '/api/v1/audit?limit=2');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['template.reset', 'template.saved']);
  });

  it('mail settings: the SMTP password never leaves, a masked URL sent back keeps it, and "send a test" reaches the server', async () => {
    expect((await admin('POST', '/api/v1/mail/test', { to: 'moi@alpha.example' })).status).toBe(409);
    const withPassword = sink.url.replace('smtp://', 'smtp://relance:s3cret-pass@');
    const saved = await admin('PATCH', '/api/v1/mail/settings', {
      smtpUrl: withPassword,
      from: 'relances@alpha.example',
      dkim: {
        domain: 'alpha.example',
        selector: 's1',
        privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.raw).not.toContain('s3cret-pass');
    expect(saved.raw).not.toContain('BEGIN PRIVATE KEY');
    expect(saved.body).toMatchObject({
      smtpUrl: sink.url.replace('smtp://', 'smtp://relance:***@'),
      smtpSource: 'company',
      dkim: { domain: 'alpha.example', selector: 's1', privateKeySet: true },
    });
    const again = await admin('PATCH', '/api/v1/mail/settings', {
      smtpUrl: saved.body.smtpUrl,
      dkim: null,
      replyTo: 'compta@alpha.example',
    });
    expect(again.status).toBe(200);
    const stored = await f.store.db
      .selectFrom('mail_settings')
      .select('smtp_url')
      .where('company_id', '=', f.alpha.company.id)
      .executeTakeFirstOrThrow();
    // Kept (not replaced by the stars), and encrypted at rest (test/mail/secrets.test.ts).
    expect(stored.smtp_url).toMatch(/^enc1:/);
    expect((await getMailSettings(f.store.db, f.alpha.company.id)).smtpUrl).toBe(withPassword);
    const audit = await admin('GET', '/api/v1/audit?limit=2');
    expect(JSON.stringify(audit.body)).not.toContain('s3cret-pass');
    // The sink has no AUTH, so the stored credentials are dropped for the test sends below.
    await admin('PATCH', '/api/v1/mail/settings', { smtpUrl: sink.url });

    const test = await admin('POST', '/api/v1/mail/test', { to: 'moi@alpha.example' });
    expect(test.body).toMatchObject({ sent: true, rejected: [] });
    expect(sink.received.map((m) => m.to)).toEqual([['moi@alpha.example']]);
    expect((await call(f.app, f.tokens.collector, 'GET', '/api/v1/mail/settings')).status).toBe(403);
  });

  it("composer: a draft from the level's template, then a manual reminder recorded, mailed with its PDFs and announced", async () => {
    await admin('POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.test/in',
      events: ['reminder.sent', 'message.bounced'],
    });
    const draft = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/draft', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
    });
    // A-F1 is overdue and was never reminded: the first real reminder (level 2), the pre-reminder passed over.
    expect(draft.body).toMatchObject({ level: 2, to: ['compta@am.example'], template: expect.any(String) });
    expect(draft.body.subject).toContain('A-F1');
    expect(draft.body.attachments).toHaveLength(2);
    // Another template than the level's, chosen in the composer: its subject and text; an unknown one is refused by name.
    const formal = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/draft', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
      template: 'mise-en-demeure',
    });
    expect(formal.body).toMatchObject({ level: 2, template: 'mise-en-demeure' });
    expect(formal.body.subject).not.toBe(draft.body.subject);
    expect(formal.body.message).toMatch(/mettons en demeure/);
    const unknown = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/draft', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
      template: 'nope',
    });
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([422, 'body.template']);

    const sent = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/send', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
      cc: ['chef@alpha.example'],
      subject: 'Facture A-F1 à régler',
      message: 'Bonjour,\n\nMerci de régler A-F1.',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ level: 2, dispatch: { sent: 1 }, message: { status: 'queued', kind: 'manual' } });
    const [mail] = sink.received;
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe('Facture A-F1 à régler');
    expect(mail!.to.sort()).toEqual(['chef@alpha.example', 'compta@am.example']);
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'application/pdf']);
    expect(await pdfText(parsed.attachments[1]!.content)).toContain('A-F1');

    const reminders = await admin('GET', '/api/v1/reminders?invoice=A-F1');
    expect(reminders.body.items).toMatchObject([{ level: 2, runId: null }]);
    const again = await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/send', {
      customerId: f.alpha.marie.id,
      invoiceIds: [f.alpha.invoice.id],
    });
    expect(again.status).toBe(409);
    expect(
      (
        await call(f.app, f.tokens.restricted, 'POST', '/api/v1/composer/send', {
          customerId: f.alpha.paul.id,
          invoiceIds: [f.alpha.paulInvoice.id],
        })
      ).status,
    ).toBe(404);

    const hook = (await admin('GET', '/api/v1/webhooks')).body.items.find((h: { events: string[] }) =>
      h.events.includes('reminder.sent'),
    );
    const deliveries = (await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { event: string }) => d.event)).toEqual(['reminder.sent']);
    const payload = await f.store.db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('id', '=', deliveries[0].id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(payload.payload).data).toMatchObject({
      customer: 'AM',
      level: 2,
      invoices: ['A-F1'],
      runId: null,
    });

    // The address bounces: the message is marked, and message.bounced is queued with it.
    const [message] = await listOutbox(f.store.db, f.alpha.company.id, { communicationId: sent.body.communicationId });
    const outcome = await handleBounce(f.store.db, dsn(message!.messageId, 'compta@am.example'));
    expect(outcome.message?.status).toBe('bounced');
    const after = (await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(after.map((d: { event: string }) => d.event).sort()).toEqual(['message.bounced', 'reminder.sent']);
  });

  it('outbox: status filter, keyset pages, a failed message retried, a test send of a step', async () => {
    for (const level of [1, 2]) {
      const test = await call(f.app, f.tokens.collector, 'POST', '/api/v1/templates/test-send', {
        level,
        to: 'essai@alpha.example',
      });
      expect(test.status).toBe(202);
      expect(test.body.message.subject).toMatch(/^\[Test\] /);
    }
    expect(sink.received.map((m) => m.to)).toEqual([['essai@alpha.example'], ['essai@alpha.example']]);
    const first = await admin('GET', '/api/v1/outbox?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.counts).toMatchObject({ queued: 0, sent: 2, bounced: 1 });
    const second = await admin('GET', `/api/v1/outbox?limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      (await admin('GET', '/api/v1/outbox?status=bounced')).body.items.map((m: { kind: string }) => m.kind),
    ).toEqual(['manual']);
    // A restricted collector sees its customers' messages only: not the tests.
    expect(
      (await call(f.app, f.tokens.restricted, 'GET', '/api/v1/outbox')).body.items.map((m: { kind: string }) => m.kind),
    ).toEqual(['manual']);

    const testId = first.body.items[0].id;
    expect((await admin('POST', `/api/v1/outbox/${testId}/retry`)).status).toBe(409);
    await f.store.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'interrupted' })
      .where('id', '=', testId)
      .execute();
    const retried = await call(f.app, f.tokens.collector, 'POST', `/api/v1/outbox/${testId}/retry`);
    expect(retried.body).toMatchObject({ message: { status: 'sent' }, dispatch: { sent: 1 } });
    const detail = await admin('GET', `/api/v1/outbox/${testId}`);
    expect(detail.body.text.length).toBeGreaterThan(20);
    expect((await call(f.app, f.tokens.viewer, 'POST', '/api/v1/outbox/dispatch')).status).toBe(403);
    expect((await call(f.app, f.tokens.collector, 'POST', '/api/v1/outbox/dispatch')).body).toMatchObject({
      sent: 0,
      failed: 0,
    });
  });

  it('sends the reminders of a selection: dry run first, then recorded, mailed and printable', async () => {
    const ids = [f.alpha.paulInvoice.id, f.alpha.invoice.id];
    const dry = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', {
      invoiceIds: ids,
      dryRun: true,
    });
    expect(dry.body).toMatchObject({ run: null, dispatch: null });
    const sent = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', { invoiceIds: ids });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    expect(sent.body.reminders).toBe(dry.body.reminders);
    // A-F1's e-mail reminder bounced (above): it goes again at the same level, by letter now that its address is
    // flagged; Paul's customer has no e-mail address, so it goes by letter too.
    expect(sent.body.notSent).toEqual([]);
    expect(sent.body.letters).toBe(2);
    const levels = (await admin('GET', '/api/v1/reminders?invoice=A-F1')).body.items.map(
      (r: { level: number }) => r.level,
    );
    expect(levels).toEqual([2]);
    const batch = await pdf(f, f.tokens.viewer, 'GET', `/api/v1/runs/${sent.body.run.id}/letters`);
    expect(batch.status).toBe(200);
    expect(batch.text).toContain('Alpha Paul client');
    const communications = await f.store.db
      .selectFrom('communications')
      .select('id')
      .where('company_id', '=', f.alpha.company.id)
      .where('run_id', '=', sent.body.run.id)
      .execute();
    const letters = await Promise.all(
      communications.map((c) => pdf(f, f.tokens.viewer, 'GET', `/api/v1/communications/${c.id}/letter`)),
    );
    expect(letters.map((l) => l.text).join('\n')).toContain('A-F2');
    const summary = await pdf(f, f.tokens.viewer, 'GET', '/api/v1/documents/summary');
    expect(summary.text).toContain('A-F1');
    expect(summary.text).toContain('A-F2');
    expect((await pdf(f, f.tokens.restricted, 'GET', '/api/v1/documents/summary')).status).toBe(403);
  });

  it('announces invoice.paid when an imported payment settles an invoice, and only then', async () => {
    const hook = await admin('POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.test/paid',
      events: ['invoice.paid'],
    });
    const boundary = '----relance-paid';
    const csv = 'invoice;date;amount;method\nA-F3;2025-06-10;100,00;virement\nA-F3;2025-06-11;400,00;virement\n';
    const imported = await f.app.inject({
      method: 'POST',
      url: '/api/v1/import/payments',
      headers: {
        authorization: `Bearer ${f.tokens.admin}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
        `filename="paiements.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(JSON.parse(imported.body)).toMatchObject({ created: 2, committed: true });
    const deliveries = (await admin('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { event: string }) => d.event)).toEqual(['invoice.paid']);
    const payload = await f.store.db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('id', '=', deliveries[0].id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(payload.payload).data).toMatchObject({ number: 'A-F3', total: 50_000, currency: 'EUR' });
  });

  it('a run started through the API sends the e-mails it queued, as the command line does', async () => {
    const beta = (method: string, url: string, body?: unknown) =>
      call(f.app, f.tokens.betaAdmin, method as never, url, body);
    await beta('PATCH', '/api/v1/mail/settings', { smtpUrl: sink.url, from: 'relances@beta.example' });
    const run = await beta('POST', '/api/v1/runs', { customer: 'BM' });
    expect(run.body).toMatchObject({ communications: 1, dispatch: { sent: 1, notSent: 0 } });
    expect(sink.received.map((m) => m.to)).toEqual([['compta@bm.example']]);
    expect((await beta('POST', '/api/v1/runs', { customer: 'BM', dryRun: true })).body.dispatch).toBeNull();
  });

  it('documents the new routes in the OpenAPI description, with their response schemas', async () => {
    const docs = await call(f.app, null, 'GET', '/api/docs/json');
    expect(docs.status).toBe(200);
    for (const path of [
      '/api/v1/outbox',
      '/api/v1/templates/{key}/{language}/preview',
      '/api/v1/composer/send',
      '/api/v1/documents/letters',
      '/api/v1/mail/settings',
    ])
      expect(Object.keys(docs.body.paths), path).toContain(path);
    expect(JSON.stringify(docs.body.paths['/api/v1/mail/settings'].get.responses['200'])).toContain('privateKeySet');
  });

  it("e-mails a password reset through the company's SMTP server, with the token and no link from the Host header", async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/v1/password-reset',
      headers: { host: 'evil.example' },
      payload: { email: f.emails.viewer },
    });
    expect(response.statusCode).toBe(202);
    const mail = await until(() => sink.received.find((m) => m.to.includes(f.emails.viewer)), 'the reset e-mail');
    const text = (await simpleParser(mail.raw)).text ?? '';
    expect(text).not.toContain('evil.example');
    const token = /: (\S+)\n/.exec(text.slice(text.indexOf('(valable une heure)')))?.[1];
    expect(token).toBeTruthy();
    const confirm = await call(f.app, null, 'POST', '/api/v1/password-reset/confirm', {
      token,
      password: 'a brand new passphrase',
    });
    expect(confirm.status).toBe(200);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { call, fixture, PASSWORD, type Fixture } from '../http/support.ts';
import { parse, pdfText } from '../mail/support/fixtures.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';

/**
 * Attacks through the product's own doors: SQL through every query filter of the API (on both
 * databases), session fixation, and markup in the text fields that reach e-mails and letters. CSRF,
 * brute force (lock-out, per-address limit) and token revocation are proved in test/http/security.test.ts;
 * CSV formula injection in test/reports/exports.test.ts.
 */
const INJECTIONS = [
  "' or '1'='1",
  "' or 1=1 --",
  "x'; drop table invoices; --",
  '") or ("1"="1',
  "%' union select id, legal_name from companies --",
  '%',
  '_',
  '\\',
  "'||(select legal_name from companies limit 1)||'",
  '1 or 1=1',
  "2025-01-01' or '1'='1",
  '[]',
  '{"$ne":null}',
];
const XSS = '<img src=x onerror=alert(1)><script>alert("xss")</script>';

describe.each(dialects)('security on %s', (dialect) => {
  let f: Fixture;
  let gets: { path: string; params: string[] }[];
  beforeAll(async () => {
    f = await fixture(dialect);
    await f.app.ready();
    const spec = (
      f.app as unknown as {
        swagger(): { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
      }
    ).swagger();
    gets = Object.entries(spec.paths).flatMap(([path, methods]) =>
      methods.get && path.startsWith('/api/v1/') && !path.includes('{')
        ? [{ path, params: (methods.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }]
        : [],
    );
  }, 120_000);
  afterAll(async () => f?.dispose());

  it("SQL injection through every query filter: no 500, no other company's or other représentant's rows, nothing dropped", async () => {
    const filters = gets.filter((g) => g.params.length > 0);
    expect(filters.length).toBeGreaterThan(5);
    const before = await rawQuery<{ n: number }>(f.store.db, 'select count(*) as n from invoices');
    let requests = 0;
    for (const { path, params } of filters) {
      for (const param of params) {
        for (const attack of INJECTIONS) {
          // The restricted collector sees only Marie's customers: an injection must not widen that either.
          const url = `${path}?${param}=${encodeURIComponent(attack)}`;
          const reply = await call(f.app, f.tokens.restricted, 'GET', url);
          requests++;
          expect(reply.status, `${url} → ${reply.raw.slice(0, 200)}`).toBeLessThan(500);
          expect(reply.raw, url).not.toContain(f.beta.company.id);
          expect(reply.raw, url).not.toMatch(/B-F\d|Beta Marie client|Beta Paul client/);
          expect(reply.raw, url).not.toMatch(/A-F2\b|Alpha Paul client/);
          if (reply.status >= 400) expect(String(reply.headers['content-type'])).toContain('application/problem+json');
        }
      }
    }
    expect(await rawQuery(f.store.db, 'select count(*) as n from invoices')).toEqual(before);
    console.info(`sql injection (${dialect}): ${requests} requests over ${filters.length} filtered routes`);
  }, 300_000);

  it('session fixation: a session id chosen before login is never adopted, and each login gets a new one', async () => {
    const planted = 'attacker-chosen-session-id-0123456789abcdef';
    const login = await f.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: `relance_session=${planted}` },
      payload: { email: f.emails.viewer, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const issued = login.cookies.find((c) => c.name === 'relance_session')!.value;
    expect(issued).not.toBe(planted);
    expect(
      (await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: `relance_session=${planted}` })).status,
    ).toBe(401);
    // Logging in again while holding a valid session gives a fresh id as well.
    const again = await f.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: `relance_session=${issued}` },
      payload: { email: f.emails.viewer, password: PASSWORD },
    });
    const second = again.cookies.find((c) => c.name === 'relance_session')!.value;
    expect(second).not.toBe(issued);
    expect(
      (await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: `relance_session=${second}` })).status,
    ).toBe(200);
    // The stored form is a hash: the cookie value itself is not in the database.
    const dump = JSON.stringify(await rawQuery(f.store.db, 'select * from sessions'));
    expect(dump).not.toContain(second);
  });

  it('markup in customer and invoice text reaches e-mails escaped and letters as plain text', async () => {
    let sink: Sink | undefined;
    try {
      sink = await startSink();
      const db = f.store.db;
      const companyId = f.alpha.company.id;
      const customer = await createCustomer(
        db,
        companyId,
        customerInput('XSS', {
          name: XSS,
          address: { line1: `1 rue ${XSS}`, line2: null, postcode: '75001', city: 'Paris', country: 'FR' },
        }),
      );
      await addContact(db, companyId, customer.id, {
        name: XSS,
        email: 'victime@client.fr',
        phone: null,
        role: 'billing',
        isPrimary: true,
      });
      await createInvoice(db, companyId, customer.id, invoiceInput('X<b>1</b>', { title: XSS }));
      await saveMailSettings(db, companyId, { smtpUrl: sink.url, from: 'relances@alpha.fr' });
      await runDunning(db, companyId, {
        date: '2025-02-20',
        customerCode: 'XSS',
        dataDir: mkdtempSync(join(tmpdir(), 'relance-xss-')),
      });
      await dispatchOutbox(db, companyId);
      const raw = sink.received.find((m) => m.to.includes('victime@client.fr'));
      expect(raw).toBeDefined();
      const mail = await parse(raw!.raw);
      const html = String(mail.html);
      expect(html).not.toMatch(/<img|<script|<b>1/i);
      expect(html).toMatch(/&lt;img src=x onerror=alert\(1\)&gt;|&lt;script&gt;/);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      const letter = mail.attachments.find(
        (a) => a.contentType === 'application/pdf' && /Relance/.test(a.filename ?? ''),
      );
      expect(letter).toBeDefined();
      const text = (await pdfText(letter!.content)).replace(/\s+/g, ' ');
      // Printed as the characters typed: nothing interpreted, nothing dropped.
      expect(text).toContain('<img src=x onerror=alert(1)>');
      expect(text).toContain('X<b>1</b>');
      const bytes = letter!.content.toString('latin1');
      expect(bytes).not.toMatch(/\/JavaScript|\/JS\b|\/OpenAction|\/Launch/);
    } finally {
      await sink?.close();
    }
  });

  it('markup typed in a manual reminder (composer) reaches the e-mail as text: subject on one line, message escaped', async () => {
    let sink: Sink | undefined;
    try {
      sink = await startSink();
      const db = f.store.db;
      const companyId = f.alpha.company.id;
      const customer = await createCustomer(db, companyId, customerInput('XSS-M', { name: 'Client composé' }));
      await addContact(db, companyId, customer.id, {
        name: null,
        email: 'compose@client.fr',
        phone: null,
        role: 'billing',
        isPrimary: true,
      });
      const invoice = await createInvoice(db, companyId, customer.id, invoiceInput('XM1'));
      await saveMailSettings(db, companyId, { smtpUrl: sink.url, from: 'relances@alpha.fr' });
      const reply = await call(f.app, f.tokens.collector, 'POST', '/api/v1/composer/send', {
        customerId: customer.id,
        invoiceIds: [invoice.id],
        subject: `Relance ${XSS}`,
        message: `Bonjour,\n\n${XSS}\n<a href="javascript:alert(1)">payer</a>`,
      });
      expect(reply.status, reply.raw).toBe(201);
      const raw = sink.received.find((m) => m.to.includes('compose@client.fr'));
      expect(raw).toBeDefined();
      const mail = await parse(raw!.raw);
      expect(mail.subject).toBe(`Relance ${XSS}`);
      expect(mail.text).toContain(XSS);
      const html = String(mail.html);
      expect(html).not.toMatch(/<img|<script|<a /i);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;');
    } finally {
      await sink?.close();
    }
  });
});

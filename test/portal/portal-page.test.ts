import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { setLetterSettings } from '../../src/storage/documents.ts';
import { buildApp } from '../../src/http/app.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';
import { call, fixture, type Fixture } from '../http/support.ts';

const BASE = 'https://pay.example.test';

describe.each(dialects)('the payment page on %s', (dialect) => {
  let f: Fixture;
  let previous: string | undefined;
  const admin = (method: string, url: string, body?: unknown) =>
    call(f.app, f.tokens.admin, method as never, url, body);
  const get = (url: string) => f.app.inject({ method: 'GET', url });
  const post = (url: string, form: Record<string, string>) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  async function linkOf(customerId: string, token = f.tokens.admin): Promise<string> {
    const issued = await call(f.app, token, 'POST', `/api/v1/customers/${customerId}/portal-links`);
    expect(issued.status).toBe(201);
    expect(issued.body.url.startsWith(`${BASE}/portal/`)).toBe(true);
    return new URL(issued.body.url).pathname;
  }
  const csrfOf = (html: string, form: string) =>
    new RegExp(`action="[^"]*/${form}"[^>]*><input type="hidden" name="csrf" value="([^"]+)"`).exec(html)![1]!;

  beforeAll(async () => {
    previous = process.env.RELANCE_PUBLIC_URL;
    process.env.RELANCE_PUBLIC_URL = BASE;
    f = await fixture(dialect, { portalLimit: { max: 10_000, windowMs: 60_000 } });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
    else process.env.RELANCE_PUBLIC_URL = previous;
    await f.dispose();
  });

  it("shows one customer's open invoices with strict headers, and nothing of another customer or company", async () => {
    const path = await linkOf(f.alpha.marie.id);
    const page = await get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('A-F1');
    expect(page.body).toContain('A-F3');
    expect(page.body).not.toContain('A-F2');
    expect(page.body).not.toContain('B-F');
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('<svg');
    // Its own invoice as PDF; another customer's (or company's) invoice id under the same link is not there.
    const own = await get(`${path}/invoices/${f.alpha.invoice.id}.pdf`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect((await get(`${path}/invoices/${f.alpha.paulInvoice.id}.pdf`)).statusCode).toBe(404);
    expect((await get(`${path}/invoices/${f.beta.invoice.id}.pdf`)).statusCode).toBe(404);
    // Another company's admin cannot make a link to Alpha's customer; a restricted collector not to Paul's.
    expect(
      (await call(f.app, f.tokens.betaAdmin, 'POST', `/api/v1/customers/${f.alpha.marie.id}/portal-links`)).status,
    ).toBe(404);
    expect(
      (await call(f.app, f.tokens.restricted, 'POST', `/api/v1/customers/${f.alpha.paul.id}/portal-links`)).status,
    ).toBe(404);
  });

  it("shows the company's logo, and its new one as soon as it changes", async () => {
    const path = await linkOf(f.alpha.marie.id);
    const png = (marker: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, marker]);
    const logoOf = (html: string) => /<img src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1];
    expect(logoOf((await get(path)).body)).toBeUndefined();
    await setLetterSettings(f.store.db, f.alpha.company.id, { logo: png(1) });
    expect(logoOf((await get(path)).body)).toBe(Buffer.from(png(1)).toString('base64'));
    await setLetterSettings(f.store.db, f.alpha.company.id, { logo: png(2) });
    expect(logoOf((await get(path)).body)).toBe(Buffer.from(png(2)).toString('base64'));
    await setLetterSettings(f.store.db, f.alpha.company.id, { logo: null });
    expect(logoOf((await get(path)).body)).toBeUndefined();
  });

  it('answers one neutral 404 to a guessed, forged, revoked or expired link', async () => {
    const notFound = (await get('/portal/' + 'A'.repeat(64))).body;
    expect(notFound).toContain('Lien introuvable');
    for (const guess of ['x', 'A'.repeat(64), 'zz'.repeat(32), `${'A'.repeat(63)}!`]) {
      const reply = await get(`/portal/${encodeURIComponent(guess)}`);
      expect(reply.statusCode).toBe(404);
      expect(reply.body).toBe(notFound);
    }
    const path = await linkOf(f.alpha.paul.id);
    expect((await get(path)).statusCode).toBe(200);
    // A token with one character changed fails its signature.
    const token = path.split('/')[2]!;
    const forged = `/portal/${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;
    expect((await get(forged)).body).toBe(notFound);
    expect((await admin('DELETE', `/api/v1/customers/${f.alpha.paul.id}/portal-links`)).body).toEqual({ revoked: 1 });
    const replay = await get(path);
    expect(replay.statusCode).toBe(404);
    expect(replay.body).toBe(notFound);
    const later = await linkOf(f.alpha.paul.id);
    await f.store.db.updateTable('portal_links').set({ expires_at: '2020-01-01T00:00:00.000Z' }).execute();
    expect((await get(later)).body).toBe(notFound);
  });

  it("speaks an English customer's language with the figures and dates written the French way", async () => {
    const customer = await createCustomer(
      f.store.db,
      f.alpha.company.id,
      customerInput('EN1', { name: 'London Ltd', language: 'en' }),
    );
    await createInvoice(
      f.store.db,
      f.alpha.company.id,
      customer.id,
      invoiceInput('EN-F1', { total: 3_072_613, dueDate: '2025-03-05' }),
    );
    const page = (await get(await linkOf(customer.id))).body;
    expect(page).toContain('<html lang="en"');
    expect(page).toMatch(/30[\s\u202f\u00a0]726,13[\s\u202f\u00a0]€/);
    expect(page).toContain('05/03/2025');
    expect(page).not.toContain('€30,726.13');
    expect(page).not.toMatch(/Reference :/);
  });

  it('escapes every value it shows', async () => {
    const evil = '<script>alert(1)</script>';
    const customer = await createCustomer(f.store.db, f.alpha.company.id, customerInput('XSS', { name: evil }));
    await createInvoice(f.store.db, f.alpha.company.id, customer.id, invoiceInput(`"><img src=x onerror=alert(1)>`));
    await f.store.db
      .updateTable('companies')
      .set({ legal_name: `Alpha <b onmouseover=x>`, phone: '<i>0102</i>' })
      .where('id', '=', f.alpha.company.id)
      .execute();
    const page = (await get(await linkOf(customer.id))).body;
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b ');
    expect(page).not.toContain('<i>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('records a promise only with the form value of its link, and says which field is wrong', async () => {
    const path = await linkOf(f.alpha.marie.id);
    const html = (await get(path)).body;
    const csrf = csrfOf(html, 'promise');
    const missing = await post(`${path}/promise`, { invoice: f.alpha.invoice.id, date: '2099-01-15' });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Le formulaire a expiré');
    // The value of another form, or of another link, does not do either.
    expect(
      (await post(`${path}/promise`, { csrf: csrfOf(html, 'paid'), invoice: f.alpha.invoice.id, date: '2099-01-15' }))
        .statusCode,
    ).toBe(403);
    const bad = await post(`${path}/promise`, { csrf, invoice: f.alpha.invoice.id, date: '31/02/2099' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Date à laquelle vous paierez : date attendue au format JJ/MM/AAAA.');
    // Paul's invoice is not on Marie's page: refused like an unknown choice.
    const foreign = await post(`${path}/promise`, { csrf, invoice: f.alpha.paulInvoice.id, date: '2099-01-15' });
    expect(foreign.statusCode).toBe(422);
    const done = await post(`${path}/promise`, { csrf, invoice: f.alpha.invoice.id, date: '2099-01-15' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${path}?sent=1`);
    const invoice = await f.store.db
      .selectFrom('invoices')
      .select(['promise_to_pay_date', 'portal_promise_date'])
      .where('id', '=', f.alpha.invoice.id)
      .executeTakeFirstOrThrow();
    // Marked as the customer's own promise, for the collector's card.
    expect(invoice).toEqual({ promise_to_pay_date: '2099-01-15', portal_promise_date: '2099-01-15' });
    const paul = await f.store.db
      .selectFrom('invoices')
      .select(['promise_to_pay_date'])
      .where('id', '=', f.alpha.paulInvoice.id)
      .executeTakeFirstOrThrow();
    expect(paul.promise_to_pay_date).toBeNull();
    const audit = await f.store.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', '=', 'portal.promise')
      .execute();
    expect(audit).toEqual([{ actor: 'client (portail)', action: 'portal.promise' }]);
    const notes = await admin('GET', `/api/v1/customers/${f.alpha.marie.id}/activities`);
    expect(
      notes.body.items.some((a: { body: string }) =>
        a.body.includes('Promesse de paiement faite sur la page de paiement'),
      ),
    ).toBe(true);
    const receipt = await f.store.db
      .selectFrom('outbox')
      .select(['to_addresses', 'subject', 'text_body'])
      .where('customer_id', '=', f.alpha.marie.id)
      .where('kind', '=', 'manual')
      .execute();
    expect(receipt.length).toBe(1);
    expect(receipt[0]!.text_body).toContain('Vous nous avez indiqué que vous réglerez la facture A-F1');
  });

  it('announces a payment (invoices held) and takes a schedule request that must add up to the balance', async () => {
    const path = await linkOf(f.alpha.marie.id);
    const html = (await get(path)).body;
    const paid = await post(`${path}/paid`, {
      csrf: csrfOf(html, 'paid'),
      invoice: 'all',
      date: '2025-03-01',
      amount: '1 000,00',
      means: 'transfer',
    });
    expect(paid.statusCode).toBe(303);
    const held = await f.store.db
      .selectFrom('invoices')
      .select(['number', 'payment_announced_on'])
      .where('customer_id', '=', f.alpha.marie.id)
      .orderBy('number')
      .execute();
    expect(held.every((i) => i.payment_announced_on !== null)).toBe(true);
    const schedule = csrfOf(html, 'schedule');
    const wrong = await post(`${path}/schedule`, {
      csrf: schedule,
      invoice: f.alpha.invoice.id,
      instalments: '15/01/2099 1,00\n15/02/2099 2,00',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('les échéances font 3,00');
    const balance = f.alpha.invoice.total - 20_000;
    const half = Math.floor(balance / 2);
    const lines = `15/01/2099 ${(half / 100).toFixed(2)}\n15/02/2099 ${((balance - half) / 100).toFixed(2)}`;
    const ok = await post(`${path}/schedule`, { csrf: schedule, invoice: f.alpha.invoice.id, instalments: lines });
    expect(ok.statusCode).toBe(303);
    const again = await post(`${path}/schedule`, { csrf: schedule, invoice: f.alpha.invoice.id, instalments: lines });
    expect(again.statusCode).toBe(422);
    const requests = await f.store.db.selectFrom('schedule_requests').select(['status']).execute();
    expect(requests).toEqual([{ status: 'pending' }]);
    // The collector sees it on the customer page and accepts it: it becomes the invoice's schedule.
    const listed = await admin('GET', `/api/v1/customers/${f.alpha.marie.id}/schedule-requests`);
    expect(listed.body.items).toHaveLength(1);
    const id = listed.body.items[0].id;
    expect(
      (await call(f.app, f.tokens.viewer, 'POST', `/api/v1/schedule-requests/${id}/decision`, { accept: true })).status,
    ).toBe(403);
    expect(
      (await call(f.app, f.tokens.betaAdmin, 'POST', `/api/v1/schedule-requests/${id}/decision`, { accept: true }))
        .status,
    ).toBe(404);
    expect((await admin('POST', `/api/v1/schedule-requests/${id}/decision`, { accept: false })).status).toBe(422);
    const accepted = await admin('POST', `/api/v1/schedule-requests/${id}/decision`, { accept: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect((await admin('POST', `/api/v1/schedule-requests/${id}/decision`, { accept: true })).status).toBe(409);
    const instalments = await f.store.db
      .selectFrom('instalments')
      .select(['amount'])
      .where('company_id', '=', f.alpha.company.id)
      .execute();
    expect(instalments.map((i) => Number(i.amount)).sort()).toEqual([half, balance - half].sort());
    const mails = await f.store.db
      .selectFrom('outbox')
      .select(['text_body'])
      .where('customer_id', '=', f.alpha.marie.id)
      .execute();
    const decision = mails.find((m) => m.text_body.includes('Nous acceptons l’échéancier de la facture A-F1'));
    // The collector's decision carries the customer's page too.
    expect(decision?.text_body).toMatch(/Votre page : https:\/\/pay\.example\.test\/portal\/[A-Za-z0-9_-]{64}/);
  });

  it('refuses more requests than the limit from one address with 429', async () => {
    const app = await buildApp({ db: f.store.db, portalLimit: { max: 3, windowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await app.inject({ method: 'GET', url: `/portal/${'B'.repeat(64)}` })).statusCode);
      expect(codes).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await app.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LOCK_AFTER_FAILURES } from '../../src/accounts/auth.ts';
import { requestPasswordReset } from '../../src/accounts/auth.ts';
import { buildApp } from '../../src/http/app.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, loginSession, PASSWORD, type Fixture } from './support.ts';

describe.each(dialects)('accounts and security over HTTP on %s', (dialect) => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture(dialect);
  });
  afterEach(async () => f.dispose());

  it('logs in with a HttpOnly, SameSite=Lax session cookie, Secure only over TLS, and logs out', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'VIEWER@example.test', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'relance_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ role: 'viewer', company: { id: f.alpha.company.id, legalName: 'Alpha' } });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const me = await call(f.app, null, 'GET', '/api/v1/session', undefined, {
      cookie: `relance_session=${cookie.value}`,
    });
    expect(me.body.user.email).toBe('viewer@example.test');
    const out = await call(f.app, null, 'DELETE', '/api/v1/session', undefined, {
      cookie: `relance_session=${cookie.value}`,
      'x-csrf-token': body.csrfToken,
    });
    expect(out.status).toBe(200);
    expect(
      (await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: `relance_session=${cookie.value}` }))
        .status,
    ).toBe(401);

    const proxied = await buildApp({ db: f.store.db, trustProxy: true });
    const tls = await proxied.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'viewer@example.test', password: PASSWORD },
    });
    expect(tls.cookies.find((c) => c.name === 'relance_session')!.secure).toBe(true);
    await proxied.close();
  });

  it('refuses cookie-authenticated writes without the CSRF token, and accepts them with it', async () => {
    const session = await loginSession(f.app, f.emails.admin);
    const patch = (headers: Record<string, string>) =>
      call(f.app, null, 'PATCH', '/api/v1/company', { legalName: 'Alpha SAS' }, { cookie: session.cookie, ...headers });
    const missing = await patch({});
    expect(missing.status).toBe(403);
    expect(missing.body.detail).toMatch(/x-csrf-token/);
    expect((await patch({ 'x-csrf-token': 'forged' })).status).toBe(403);
    const other = await loginSession(f.app, f.emails.viewer);
    expect((await patch({ 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await call(f.app, f.tokens.admin, 'GET', '/api/v1/company')).body.legalName).toBe('Alpha');
    const ok = await patch({ 'x-csrf-token': session.csrf });
    expect(ok.status).toBe(200);
    expect(ok.body.legalName).toBe('Alpha SAS');
    // Reads need no token, and API tokens (no cookie, so no CSRF risk) need none either.
    expect((await call(f.app, null, 'GET', '/api/v1/company', undefined, { cookie: session.cookie })).status).toBe(200);
    expect((await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { legalName: 'Alpha SA' })).status).toBe(200);
  });

  it('locks an account after five wrong passwords, even for the right one, and says the same for unknown e-mails', async () => {
    const attempt = (email: string, password: string) =>
      f.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
    const unknown = await attempt('nobody@example.test', 'whatever password');
    const wrong = await attempt(f.emails.collector, 'wrong password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(JSON.parse(unknown.body).detail).toBe(JSON.parse(wrong.body).detail);
    for (let i = 1; i < LOCK_AFTER_FAILURES; i++)
      expect((await attempt(f.emails.collector, `wrong ${i}`)).statusCode).toBe(401);
    // Locked: the right password is refused with the same answer as an unknown account.
    const locked = await attempt(f.emails.collector, PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(JSON.parse(locked.body).detail).toBe(JSON.parse(unknown.body).detail);
    // Other accounts are not affected.
    expect((await attempt(f.emails.viewer, PASSWORD)).statusCode).toBe(200);
  });

  it('resets the failure count on a successful login', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) {
      await f.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: f.emails.viewer, password: 'nope nope' },
      });
    }
    expect((await loginSession(f.app, f.emails.viewer)).status).toBe(200);
    await f.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: f.emails.viewer, password: 'nope nope' },
    });
    expect((await loginSession(f.app, f.emails.viewer)).status).toBe(200);
  });

  it('limits login attempts per client address', async () => {
    const limited = await buildApp({ db: f.store.db, loginLimit: { max: 3, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await limited.inject({
            method: 'POST',
            url: '/api/v1/session',
            payload: { email: `x${i}@example.test`, password: 'p' },
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    await limited.close();
  });

  it('shows an API token once, stores only its hash, and stops it at once when revoked', async () => {
    const created = await call(f.app, f.tokens.admin, 'POST', '/api/v1/tokens', { name: 'comptabilité' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^rlc_/);
    const stored = await f.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const listed = await call(f.app, f.tokens.admin, 'GET', '/api/v1/tokens');
    expect(listed.raw).not.toContain(token);
    expect(listed.body.items.find((t: { id: string }) => t.id === created.body.id)).toMatchObject({
      name: 'comptabilité',
      revokedAt: null,
    });
    expect((await call(f.app, token, 'GET', '/api/v1/invoices')).status).toBe(200);
    expect((await call(f.app, f.tokens.admin, 'DELETE', `/api/v1/tokens/${created.body.id}`)).status).toBe(200);
    const after = await call(f.app, token, 'GET', '/api/v1/invoices');
    expect(after.status).toBe(401);
    expect((await call(f.app, f.tokens.admin, 'DELETE', `/api/v1/tokens/${created.body.id}`)).status).toBe(404);
    // Removing a person from the company ends their tokens there too.
    expect((await call(f.app, f.tokens.admin, 'DELETE', `/api/v1/users/${f.users.viewer}`)).status).toBe(200);
    expect((await call(f.app, f.tokens.viewer, 'GET', '/api/v1/invoices')).status).toBe(401);
  });

  it('resets a password with a single-use token, ending every session', async () => {
    const session = await loginSession(f.app, f.emails.viewer);
    const answer = await f.app.inject({
      method: 'POST',
      url: '/api/v1/password-reset',
      payload: { email: 'ghost@example.test' },
    });
    expect(answer.statusCode).toBe(202);
    const reset = (await requestPasswordReset(f.store.db, f.emails.viewer))!;
    const confirm = (token: string, password: string) =>
      f.app.inject({ method: 'POST', url: '/api/v1/password-reset/confirm', payload: { token, password } });
    expect((await confirm(reset.token, 'short')).statusCode).toBe(422);
    expect((await confirm(reset.token, 'a brand new password')).statusCode).toBe(200);
    expect((await confirm(reset.token, 'another new password')).statusCode).toBe(422);
    expect((await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: session.cookie })).status).toBe(401);
    expect((await loginSession(f.app, f.emails.viewer)).status).toBe(401);
    expect((await loginSession(f.app, f.emails.viewer, 'a brand new password')).status).toBe(200);
  });

  it('switches between the companies of a user, never into one the user is not in', async () => {
    const invited = await call(f.app, f.tokens.betaAdmin, 'POST', '/api/v1/users', {
      email: f.emails.viewer,
      role: 'collector',
    });
    expect(invited.body).toMatchObject({ created: false, invited: true });
    expect(
      (await loginSession(f.app, f.emails.viewer)).body.companies.map((c: { legalName: string }) => c.legalName),
    ).toEqual(['Alpha']);
    const [invitation] = (await call(f.app, f.tokens.viewer, 'GET', '/api/v1/invitations')).body.items;
    expect(invitation).toMatchObject({ legalName: 'Beta', role: 'collector', invitedBy: f.emails.betaAdmin });
    expect((await call(f.app, f.tokens.viewer, 'POST', `/api/v1/invitations/${invitation.id}/accept`)).status).toBe(
      200,
    );
    const session = await loginSession(f.app, f.emails.viewer);
    expect(session.body.companies.map((c: { legalName: string }) => c.legalName)).toEqual(['Alpha', 'Beta']);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const switched = await call(
      f.app,
      null,
      'PUT',
      '/api/v1/session/company',
      { companyId: f.beta.company.id },
      headers,
    );
    expect(switched.body).toMatchObject({ role: 'collector', company: { legalName: 'Beta' } });
    const invoices = await call(f.app, null, 'GET', '/api/v1/invoices', undefined, headers);
    expect(invoices.body.items.map((i: { number: string }) => i.number)).toEqual(['B-F1', 'B-F2', 'B-F3']);
    const stranger = await createCompany(f.store.db, { legalName: 'Gamma' });
    expect(
      (await call(f.app, null, 'PUT', '/api/v1/session/company', { companyId: stranger.id }, headers)).status,
    ).toBe(404);
  });

  it('answers every error as application/problem+json with a stable code, field paths and no stack trace', async () => {
    const invalid = await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', {
      code: '',
      name: 42,
      kind: 'robot',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.body).toMatchObject({
      type: 'https://relance.dev/problems/invalid-input',
      title: 'Données invalides', // French unless the reader asks for English
      status: 422,
      code: 'invalid_input',
      instance: '/api/v1/customers',
    });
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.code',
      'body.kind',
      'body.name',
    ]);
    const query = await call(f.app, f.tokens.admin, 'GET', '/api/v1/invoices?limit=0&dueFrom=31/12/2025');
    expect(query.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'querystring.dueFrom',
      'querystring.limit',
    ]);
    const policy = await call(f.app, f.tokens.admin, 'PUT', '/api/v1/policies/bad', {
      steps: [{ label: '', delayDays: 1.5, from: 'dueDate', channels: [] }],
      minBalance: '15',
      minDaysBetween: 7,
    });
    expect(policy.status).toBe(422);
    expect(policy.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['steps.0.label', 'steps.0.delayDays', 'steps.0.channels']),
    );
    const conflict = await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', { code: 'AM', name: 'Doublon' });
    expect(conflict.body).toMatchObject({ status: 409, code: 'conflict' });
    const overpaid = await call(f.app, f.tokens.admin, 'POST', '/api/v1/payments', {
      customerId: f.alpha.marie.id,
      date: '2025-03-01',
      amount: 999_999,
      method: 'transfer',
      allocations: [{ invoiceId: f.alpha.invoice.id, amount: 999_999 }],
    });
    expect(overpaid.body).toMatchObject({ status: 422, code: 'over_allocation' });
    const route = await call(f.app, null, 'GET', '/api/v1/nothing-here');
    expect(route.body).toMatchObject({ status: 404, code: 'not_found' });
    const malformed = await f.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body).code).toBe('usage');
    for (const reply of [invalid, conflict, overpaid, route])
      expect(reply.raw).not.toMatch(/at .*\.ts:\d+|node_modules|stack/i);
  });

  it('strips from responses every field the route does not declare, and hides unexpected failures', async () => {
    // Routes cannot be added to the built app: a bare instance with the same compilers and error handler.
    const bare = (await import('fastify')).default();
    const { serializerCompiler, validatorCompiler } = await import('fastify-type-provider-zod');
    bare.setValidatorCompiler(validatorCompiler);
    bare.setSerializerCompiler(serializerCompiler);
    const { errorHandler } = await import('../../src/http/problem.ts');
    bare.setErrorHandler(errorHandler);
    bare
      .withTypeProvider()
      .get(
        '/user',
        { schema: { response: { 200: z.object({ id: z.string(), email: z.string() }) } } },
        async () => ({ id: 'u1', email: 'a@b.fr', passwordHash: 'scrypt$secret', nested: { token: 'x' } }) as never,
      );
    bare.get('/boom', async () => {
      throw new Error('SELECT * FROM users at /srv/relance/src/storage/users.ts:42');
    });
    const user = await bare.inject({ url: '/user' });
    expect(JSON.parse(user.body)).toEqual({ id: 'u1', email: 'a@b.fr' });
    const boom = await bare.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(JSON.parse(boom.body)).toMatchObject({ code: 'internal', status: 500 });
    expect(boom.body).not.toMatch(/SELECT|users\.ts/);
    await bare.close();
    // And on a real route: the members list never carries password hashes or failure counters.
    const members = await call(f.app, f.tokens.admin, 'GET', '/api/v1/users');
    expect(Object.keys(members.body.items[0]).sort()).toEqual(['email', 'name', 'role', 'salesRep', 'userId']);
    expect(members.raw).not.toMatch(/scrypt|password|failed/);
  });
});

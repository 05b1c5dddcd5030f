import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { enqueueMessages } from '../../src/storage/outbox.ts';
import { setInstallationAdmin } from '../../src/storage/users.ts';
import { call, fixture, loginSession, PASSWORD, type Fixture } from '../http/support.ts';
import { dialects } from '../support/stores.ts';

/**
 * Hostile users: each attack on privilege and sessions found against a served demo, as a case that must be
 * refused, on both databases.
 */
describe.each(dialects)('hostile users on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(dialect);
  }, 120_000);
  afterAll(async () => f?.dispose());

  it('a viewer, a collector and a company admin cannot create companies; an administrator of the installation can', async () => {
    for (const who of ['viewer', 'collector', 'admin'] as const) {
      const reply = await call(f.app, f.tokens[who], 'POST', '/api/v1/companies', { legalName: `Hostile ${who}` });
      expect(reply.status, who).toBe(403);
    }
    const viewer = await loginSession(f.app, f.emails.viewer);
    const byCookie = await call(
      f.app,
      null,
      'POST',
      '/api/v1/companies',
      { legalName: 'Hostile cookie' },
      { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf },
    );
    expect(byCookie.status).toBe(403);
    expect(
      (await call(f.app, f.tokens.viewer, 'GET', '/api/v1/companies')).body.items.map(
        (c: { legalName: string }) => c.legalName,
      ),
    ).toEqual(['Alpha']);
    await setInstallationAdmin(f.store.db, f.users.admin, true);
    const created = await call(f.app, f.tokens.admin, 'POST', '/api/v1/companies', { legalName: 'Gamma' });
    expect(created.status).toBe(201);
    await setInstallationAdmin(f.store.db, f.users.admin, false);
  });

  it('an existing account is never added to another company behind its back: it is invited and joins only by accepting', async () => {
    const added = await call(f.app, f.tokens.betaAdmin, 'POST', '/api/v1/users', {
      email: f.emails.restricted,
      role: 'admin',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ created: false, invited: true });
    expect(added.raw).not.toContain(f.users.restricted);
    expect((await call(f.app, f.tokens.betaAdmin, 'GET', '/api/v1/users')).raw).not.toContain(f.emails.restricted);
    expect((await loginSession(f.app, f.emails.restricted)).body.companies).toHaveLength(1);
    // Another account cannot take the invitation.
    const [invitation] = (await call(f.app, f.tokens.restricted, 'GET', '/api/v1/invitations')).body.items;
    expect((await call(f.app, f.tokens.viewer, 'POST', `/api/v1/invitations/${invitation.id}/accept`)).status).toBe(
      404,
    );
    expect((await call(f.app, f.tokens.restricted, 'DELETE', `/api/v1/invitations/${invitation.id}`)).status).toBe(200);
    expect((await loginSession(f.app, f.emails.restricted)).body.companies).toHaveLength(1);
  });

  it("a collector restricted to a sales rep sees neither other reps' messages nor company-wide counts on the dashboard", async () => {
    await enqueueMessages(f.store.db, f.alpha.company.id, [
      {
        kind: 'reminder',
        idempotencyKey: 'paul-1',
        customerId: f.alpha.paul.id,
        to: ['compta@paul.example'],
        subject: 'Relance facture A-F2',
        text: 'x',
      },
      {
        kind: 'reminder',
        idempotencyKey: 'marie-1',
        customerId: f.alpha.marie.id,
        to: ['compta@am.example'],
        subject: 'Relance facture A-F1',
        text: 'x',
      },
      {
        kind: 'test',
        idempotencyKey: 'test-1',
        customerId: null,
        to: ['boss@alpha.example'],
        subject: 'Essai',
        text: 'x',
      },
    ]);
    const dashboard = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.raw).not.toMatch(/paul\.example|A-F2|boss@alpha/);
    expect(dashboard.body.recent.map((m: { subject: string }) => m.subject)).toEqual(['Relance facture A-F1']);
    expect(Object.values(dashboard.body.outbox as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1);
    const full = await call(f.app, f.tokens.admin, 'GET', '/api/v1/dashboard');
    expect(Object.values(full.body.outbox as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('a password change ends every other session and token of the account; the one making it continues', async () => {
    const other = await loginSession(f.app, f.emails.collector);
    const current = await loginSession(f.app, f.emails.collector);
    const headers = { cookie: current.cookie, 'x-csrf-token': current.csrf };
    const changed = await call(
      f.app,
      null,
      'PUT',
      '/api/v1/session/password',
      { currentPassword: PASSWORD, newPassword: 'another long password' },
      headers,
    );
    expect(changed.status).toBe(200);
    expect((await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: other.cookie })).status).toBe(401);
    expect((await call(f.app, f.tokens.collector, 'GET', '/api/v1/invoices')).status).toBe(401);
    expect((await call(f.app, null, 'GET', '/api/v1/session', undefined, { cookie: current.cookie })).status).toBe(200);
  });

  it('wrong currentPassword guesses lock the account, and a locked, an unknown and a wrong login get one answer in like time', async () => {
    const me = await loginSession(f.app, f.emails.viewer);
    const headers = { cookie: me.cookie, 'x-csrf-token': me.csrf };
    for (let i = 0; i < 5; i++) {
      const guess = await call(
        f.app,
        null,
        'PUT',
        '/api/v1/session/password',
        { currentPassword: `guess ${i}`, newPassword: 'x long password' },
        headers,
      );
      expect(guess.status).toBe(422);
    }
    const timed = async (email: string, password: string) => {
      const started = performance.now();
      const reply = await f.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
      return {
        ms: performance.now() - started,
        status: reply.statusCode,
        detail: JSON.parse(reply.body).detail as string,
      };
    };
    const locked = await timed(f.emails.viewer, PASSWORD);
    const unknown = await timed('nobody@example.test', PASSWORD);
    const wrong = await timed(f.emails.admin, 'not the password');
    expect([locked.status, unknown.status, wrong.status]).toEqual([401, 401, 401]);
    expect(new Set([locked.detail, unknown.detail, wrong.detail]).size).toBe(1);
    // Every answer pays the password hash: a locked account is not answered at once.
    expect(locked.ms).toBeGreaterThan(Math.min(unknown.ms, wrong.ms) / 4);
    // The right password after the lock is refused too, by the same door.
    const again = await call(
      f.app,
      null,
      'PUT',
      '/api/v1/session/password',
      { currentPassword: PASSWORD, newPassword: 'x long password' },
      headers,
    );
    expect(again.status).toBe(422);
  });

  it('a forged X-Forwarded-For does not spread guesses over addresses: one trusted hop, and a limit per account', async () => {
    const app = await buildApp({ db: f.store.db, trustProxy: 1, loginLimit: { max: 5, windowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) {
        // The proxy appends the address it saw; what the client wrote before it is not believed.
        const reply = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `10.9.${i}.1, 203.0.113.7` },
          payload: { email: `guess${i}@example.test`, password: 'p' },
        });
        codes.push(reply.statusCode);
      }
      expect(codes.filter((c) => c === 429)).toHaveLength(25);
      // Thirty real addresses against one account: the account's own limit holds.
      const perAccount: number[] = [];
      for (let i = 0; i < 30; i++) {
        const reply = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
          payload: { email: 'target@example.test', password: `p${i}` },
        });
        perAccount.push(reply.statusCode);
      }
      expect(perAccount.filter((c) => c === 429)).toHaveLength(25);
    } finally {
      await app.close();
    }
  });

  it('a lost database connection answers 503, not 500', async () => {
    const store = await (await import('../support/stores.ts')).freshStore(dialect);
    const app = await buildApp({ db: store.db });
    const token = await import('../../src/accounts/auth.ts');
    const company = await (
      await import('../../src/storage/companies.ts')
    ).createCompany(store.db, { legalName: 'Lost' });
    await token.addUser(store.db, company.id, { email: 'lost@example.test', role: 'admin', password: PASSWORD });
    const { token: bearer } = await token.issueApiToken(store.db, company.id, {
      userId: (await (await import('../../src/storage/users.ts')).findUserByEmail(store.db, 'lost@example.test'))!.id,
      name: 'x',
    });
    expect((await call(app, bearer, 'GET', '/api/v1/dashboard')).status).toBe(200);
    await store.dispose();
    // Past the remembered principal (2 s), so the lost connection is met by every step of the request.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (const url of ['/api/v1/dashboard', '/api/v1/invoices', '/api/v1/session']) {
      const reply = await call(app, bearer, 'GET', url);
      expect(reply.status, `${url}: ${reply.raw}`).toBe(503);
    }
    await app.close();
  });
});

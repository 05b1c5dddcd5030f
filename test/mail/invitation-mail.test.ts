import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { startSink, type Sink } from './support/sink.ts';

describe('the invitation e-mail', () => {
  let f: Fixture;
  let sink: Sink;
  const before = process.env.RELANCE_PUBLIC_URL;
  beforeAll(async () => {
    f = await fixture('sqlite');
    sink = await startSink({ keepRaw: true });
    await saveMailSettings(f.store.db, f.beta.company.id, { smtpUrl: sink.url, from: 'relances@beta.example' });
    process.env.RELANCE_PUBLIC_URL = 'https://relance.example/';
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.RELANCE_PUBLIC_URL;
    else process.env.RELANCE_PUBLIC_URL = before;
    await sink?.close();
    await f?.dispose();
  });

  it('tells an existing account who invites it to which company, with the address of the screen to answer', async () => {
    const invited = await call(f.app, f.tokens.betaAdmin, 'POST', '/api/v1/users', {
      email: f.emails.viewer,
      role: 'collector',
    });
    expect(invited.body).toMatchObject({ created: false, invited: true });
    await expect.poll(() => sink.received.length).toBe(1);
    const [mail] = sink.received;
    expect(mail!.to).toEqual([f.emails.viewer]);
    const raw = mail!.raw.toString('utf8').replace(/=\r?\n/g, '');
    expect(raw).toContain('https://relance.example/invitations');
    expect(raw).toContain(f.emails.betaAdmin);
    expect(raw).toMatch(/Beta/);
    // Still only invited: the account is not a member of Beta until it accepts.
    const companies = await call(f.app, f.tokens.viewer, 'GET', '/api/v1/session');
    expect(companies.body.companies.map((c: { legalName: string }) => c.legalName)).toEqual(['Alpha']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { problem } from '../../src/http/problem.ts';
import { validationReason } from '../../src/shared/validation-reason.ts';
import { call, fixture, type Fixture } from './support.ts';

describe('problem+json answers name their catalogue message', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture('sqlite');
  });
  afterAll(async () => {
    await f.dispose();
  });
  const fr = translator('fr');

  it('a refusal of a use case: its own key and params, said in French', async () => {
    const reply = await call(f.app, f.tokens.admin, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000');
    expect(reply.status).toBe(404);
    expect(reply.body.messageKey).toMatch(/^problem\.notFound\./);
    expect(fr(reply.body.messageKey, reply.body.params)).not.toMatch(/\bNo\b|with id/);
  });

  it('a request zod refuses: the count in real plural, each field with a French reason', async () => {
    const reply = await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', { code: '' });
    expect(reply.status).toBe(422);
    expect(reply.body.messageKey).toBe('problem.http.invalidRequest');
    expect(fr(reply.body.messageKey, reply.body.params)).toMatch(/^Requête invalide : \d+ problèmes?\.$/);
    for (const issue of reply.body.errors as { code?: string; params?: Record<string, string | number> }[]) {
      expect(issue.code).toMatch(/^problem\.validation\./);
      expect(fr(issue.code!, issue.params)).not.toBe(issue.code);
    }
  });

  it("says the message and each issue in the reader's language, French unless English is asked for", async () => {
    const body = { code: '' };
    const french = await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', body, { 'accept-language': 'fr-FR' });
    expect(french.headers['content-language']).toBe('fr');
    expect(french.body.message).toMatch(/^Requête invalide : \d+ problèmes?\.$/);
    expect(french.body.title).toBe('Données invalides');
    const issues = french.body.errors as { field: string; message: string }[];
    expect(issues.find((i) => i.field === 'body.code')!.message).toMatch(/^Code client : /);
    expect(issues.map((i) => i.message).join('\n')).not.toMatch(/body\.|Required|expected/);
    const english = await call(f.app, f.tokens.admin, 'POST', '/api/v1/customers', body, {
      'accept-language': 'en-GB,en;q=0.9',
    });
    expect(english.body.message).toMatch(/^The request is invalid: \d+ problems?\.$/);
    expect(english.body.title).toBe('Invalid input');
    expect((english.body.errors as { message: string }[])[0]!.message).not.toMatch(/body\./);
    const missing = await call(f.app, f.tokens.admin, 'GET', '/api/v1/nowhere');
    expect(missing.headers['content-language']).toBe('fr');
    expect(missing.body.message).toBe(fr('errors.not_found'));
    expect(missing.body.title).toBe('Introuvable');
    const unknown = '/api/v1/customers/00000000-0000-0000-0000-000000000000';
    const en = await call(f.app, f.tokens.admin, 'GET', unknown, undefined, { 'accept-language': 'en' });
    expect(en.body.message).toBe(translator('en')(en.body.messageKey, en.body.params));
  });

  it('a route that does not exist: the generic text of its code', async () => {
    const reply = await call(f.app, f.tokens.admin, 'GET', '/api/v1/nowhere');
    expect(reply.status).toBe(404);
    expect(reply.body.messageKey).toBe('errors.not_found');
  });

  it('maps zod issues to French reasons with real plurals', () => {
    const short = validationReason('too_small', { origin: 'string', minimum: 3 }, 'Too small');
    expect(fr(short.code, short.params)).toBe('au moins 3 caractères');
    const missing = validationReason('invalid_type', { expected: 'string' }, 'expected string, received undefined');
    expect(fr(missing.code)).toBe('obligatoire');
    const own = validationReason('custom', { params: { code: 'problem.validation.email' } }, 'not an e-mail');
    expect(own.code).toBe('problem.validation.email');
    expect(problem('conflict', 409, 'x').messageKey).toBe('errors.conflict');
  });
});

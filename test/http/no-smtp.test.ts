import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReminders } from '../../src/storage/dunning.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

describe.each(dialects)('sending without an SMTP server on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    delete process.env.RELANCE_SMTP_URL;
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  it('says plainly before recording that no e-mail can leave, records nothing, and still lets the reminders go by post', async () => {
    const ids = [f.alpha.invoice.id];
    const dry = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', {
      invoiceIds: ids,
      dryRun: true,
    });
    expect(dry.body).toMatchObject({ smtpConfigured: false, emails: 1, reminders: 1 });
    const refused = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', { invoiceIds: ids });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(
      /^Aucun serveur SMTP n'est configuré : aucun e-mail ne peut partir, rien n'a donc été enregistré/,
    );
    expect(await listReminders(f.store.db, f.alpha.company.id)).toEqual([]);
    const composer = await call(f.app, f.tokens.collector, 'POST', '/api/v1/composer/send', {
      customerId: f.alpha.marie.id,
      invoiceIds: ids,
    });
    expect(composer.status).toBe(409);
    expect(await listReminders(f.store.db, f.alpha.company.id)).toEqual([]);

    const byPost = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', {
      invoiceIds: ids,
      emailsAs: 'letter',
    });
    expect(byPost.status).toBe(200);
    expect(byPost.body).toMatchObject({ reminders: 1, emails: 0, letters: 1 });
    expect((await listReminders(f.store.db, f.alpha.company.id)).map((r) => [r.invoice, r.channel])).toEqual([
      ['A-F1', 'letter'],
    ]);
    const outbox = await f.store.db
      .selectFrom('outbox')
      .select('id')
      .where('company_id', '=', f.alpha.company.id)
      .execute();
    expect(outbox).toEqual([]);
  });
});

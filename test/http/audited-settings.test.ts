import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLetterSettings } from '../../src/documents/save-letter-settings.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { listAudit } from '../../src/storage/audit.ts';
import { enqueueMessages } from '../../src/storage/outbox.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The settings and the outbox changed through the API each leave exactly one audit row, naming the person (and that
 * an API token acted for them), and a refused change leaves none.
 */
describe.each(dialects)('settings and outbox changes audited through the API on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    delete process.env.RELANCE_SMTP_URL;
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  /** The audit rows written while `change` ran, oldest first. */
  async function auditedBy(change: () => Promise<unknown>) {
    const before = new Set((await listAudit(f.store.db, f.alpha.company.id)).map((e) => e.id));
    await change();
    return (await listAudit(f.store.db, f.alpha.company.id))
      .filter((e) => !before.has(e.id))
      .reverse()
      .map(({ userId, actor, action, target, details }) => ({ userId, actor, action, target, details }));
  }

  it('changing the company settings writes one row naming the fields changed', async () => {
    const rows = await auditedBy(async () => {
      const reply = await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { phone: '04 78 00 00 00' });
      expect(reply.status).toBe(200);
    });
    expect(rows).toEqual([
      {
        userId: f.users.admin,
        actor: `${f.emails.admin} (API token)`,
        action: 'company.updated',
        target: f.alpha.company.id,
        details: { fields: ['phone'] },
      },
    ]);
    const refused = await auditedBy(async () => {
      expect((await call(f.app, f.tokens.collector, 'PATCH', '/api/v1/company', { phone: '01' })).status).toBe(403);
      expect((await call(f.app, f.tokens.admin, 'PATCH', '/api/v1/company', { timeZone: 'Mars/Olympus' })).status).toBe(
        422,
      );
    });
    expect(refused).toEqual([]);
  });

  it('setting and removing the letterhead logo each write one row', async () => {
    const rows = await auditedBy(async () => {
      expect((await call(f.app, f.tokens.admin, 'PUT', '/api/v1/company/logo', { image: PNG })).status).toBe(200);
      expect((await call(f.app, f.tokens.admin, 'PUT', '/api/v1/company/logo', { image: null })).status).toBe(200);
    });
    const actor = { userId: f.users.admin, actor: `${f.emails.admin} (API token)`, target: f.alpha.company.id };
    expect(rows).toEqual([
      { ...actor, action: 'company.logo.set', details: { bytes: Buffer.from(PNG, 'base64').length } },
      { ...actor, action: 'company.logo.removed', details: null },
    ]);
  });

  it('the logo changed as a letter setting (the command line’s letter-settings) is audited as through the API', async () => {
    const commandLine = systemActor(f.alpha.company.id, 'command line');
    const image = Buffer.from(PNG, 'base64');
    const rows = await auditedBy(async () => {
      await saveLetterSettings(f.store.db, commandLine, { logo: image, duplex: true });
      await saveLetterSettings(f.store.db, commandLine, { logo: null });
    });
    const actor = { userId: null, actor: 'command line' };
    // The two rows of one change are written in the same millisecond: their order is not the test's concern.
    expect(rows.sort((x, y) => x.action.localeCompare(y.action))).toEqual([
      { ...actor, action: 'company.logo.removed', target: f.alpha.company.id, details: null },
      { ...actor, action: 'company.logo.set', target: f.alpha.company.id, details: { bytes: image.length } },
      { ...actor, action: 'letters.settings', target: null, details: { fields: ['duplex'] } },
    ]);
  });

  it('retrying a failed message writes one row; a retry refused (not failed, or not visible) writes none', async () => {
    const [message] = await enqueueMessages(f.store.db, f.alpha.company.id, [
      { idempotencyKey: 'audit-retry', kind: 'test', to: ['essai@alpha.example'], subject: 'Essai', text: 'Bonjour' },
    ]);
    await f.store.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'interrupted' })
      .where('id', '=', message!.id)
      .execute();
    const retry = (token: string) => call(f.app, token, 'POST', `/api/v1/outbox/${message!.id}/retry`);
    const rows = await auditedBy(async () => {
      // A restricted collector sees no message addressed to no customer.
      expect((await retry(f.tokens.restricted)).status).toBe(404);
      expect((await retry(f.tokens.collector)).status).toBe(200);
      expect((await retry(f.tokens.collector)).status).toBe(409);
    });
    expect(rows).toEqual([
      {
        userId: f.users.collector,
        actor: `${f.emails.collector} (API token)`,
        action: 'outbox.retry',
        target: message!.id,
        details: { subject: 'Essai' },
      },
    ]);
  });
});

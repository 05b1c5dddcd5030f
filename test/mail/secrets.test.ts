import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { getMailSettings, saveMailSettings } from '../../src/mail/settings.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { openSecret, sealSecret } from '../../src/storage/secrets.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';
import { queueOne } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----';
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  delete process.env.RELANCE_SECRET_KEY;
});

describe.each(dialects)('SMTP password and DKIM key at rest on %s', (dialect) => {
  const store = useStore(dialect);

  it('are stored encrypted, read back in clear by the app, and the e-mail goes out with the password', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Alpha' });
    sink = await startSink({ password: 's3cret-pass' });
    const url = sink.url.replace('smtp://', 'smtp://relance:s3cret-pass@');
    await saveMailSettings(db, company.id, {
      smtpUrl: url,
      from: 'relances@alpha.example',
      dkim: { domain: 'alpha.example', selector: 's1', privateKey: KEY },
    });

    const row = await db
      .selectFrom('mail_settings')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(row.smtp_url).toMatch(/^enc1:/);
    expect(row.smtp_url).not.toContain('s3cret-pass');
    expect(row.dkim_private_key).toMatch(/^enc1:/);
    expect(row.dkim_private_key).not.toContain('PRIVATE KEY');
    const settings = await getMailSettings(db, company.id);
    expect(settings).toMatchObject({ smtpUrl: url, dkim: { privateKey: KEY } });
    expect(settings.problem).toBeUndefined();

    await saveMailSettings(db, company.id, { dkim: null });
    await queueOne(db, company.id);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1, stopped: null });
    expect(sink.received).toHaveLength(1);
  });

  it('hold the messages and say why when a credential was sealed under another key, instead of writing .eml files', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Alpha' });
    await saveMailSettings(db, company.id, { smtpUrl: 'smtp://u:p@127.0.0.1:2525', from: 'relances@alpha.example' });
    const sealed = await sealSecret(db, 'smtp://u:p@127.0.0.1:2525');
    // The same value sealed under a key this server does not have (another RELANCE_SECRET_KEY).
    process.env.RELANCE_SECRET_KEY = 'another key of at least thirty-two characters';
    const foreign = await sealSecret(db, 'smtp://u:p@127.0.0.1:2525');
    delete process.env.RELANCE_SECRET_KEY;
    expect(foreign.split(':')[1]).not.toBe(sealed.split(':')[1]);
    await db.updateTable('mail_settings').set({ smtp_url: foreign }).where('company_id', '=', company.id).execute();

    const settings = await getMailSettings(db, company.id);
    expect(settings.smtpUrl).toBeNull();
    expect(settings.problem).toMatch(/SMTP server URL: encrypted with another secret key/);
    const message = await queueOne(db, company.id);
    const report = await dispatchOutbox(db, company.id, { dataDir: '/nonexistent' });
    expect(report).toMatchObject({
      sent: 0,
      notSent: 0,
      stopped: expect.stringMatching(/another secret key/),
      stoppedReason: { code: 'outbox.smtp.settingsUnreadable', params: {} },
    });
    const [row] = await db.selectFrom('outbox').select(['id', 'status']).where('company_id', '=', company.id).execute();
    expect(row).toMatchObject({ id: message.id, status: 'queued' });

    // Entering the settings again seals them under this server's key, and they work again.
    await saveMailSettings(db, company.id, { smtpUrl: 'smtp://u:p2@127.0.0.1:2525' });
    expect((await getMailSettings(db, company.id)).problem).toBeUndefined();
  });

  it('read a value written before encryption as it is, and seal it at the next save; refuse an altered one', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Alpha' });
    await saveMailSettings(db, company.id, { from: 'relances@alpha.example' });
    await db
      .updateTable('mail_settings')
      .set({ smtp_url: 'smtp://u:legacy@127.0.0.1:2525' })
      .where('company_id', '=', company.id)
      .execute();
    expect((await getMailSettings(db, company.id)).smtpUrl).toBe('smtp://u:legacy@127.0.0.1:2525');
    await saveMailSettings(db, company.id, { replyTo: 'compta@alpha.example' });
    const row = await db
      .selectFrom('mail_settings')
      .select('smtp_url')
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(row.smtp_url).toMatch(/^enc1:/);
    expect((await getMailSettings(db, company.id)).smtpUrl).toBe('smtp://u:legacy@127.0.0.1:2525');

    const sealed = await sealSecret(db, 'secret');
    const tampered = `${sealed.slice(0, -6)}AAAAAA`;
    expect(await openSecret(db, tampered)).toMatchObject({ value: null, problem: expect.stringMatching(/altered/) });
  });
});

describe('the key file', () => {
  const store = useStore('sqlite');

  it('is created beside the SQLite database, readable by its owner only', async () => {
    const { db, location } = store();
    await sealSecret(db, 'x');
    const mode = statSync(join(dirname(location), 'secret.key')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});

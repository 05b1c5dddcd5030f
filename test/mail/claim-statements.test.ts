import type { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import type { Mailer } from '../../src/mail/transport.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';
import { seedLedger } from '../repositories/helpers.ts';
import { queueOne } from './support/fixtures.ts';

const MESSAGES = 40;

describe.each(dialects)('the outbox claim on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('costs one statement per message: the previous one marked sent and the next claimed together', async () => {
    let seen: CompiledQuery[] | null = null;
    store = await freshStore(dialect, { onQuery: (query) => seen?.push(query) });
    const { db } = store;
    const { company } = await seedLedger(db);
    await saveMailSettings(db, company.id, {
      smtpUrl: 'smtp://127.0.0.1:2525',
      from: 'Société A <compta@societe-a.fr>',
    });
    for (let k = 0; k < MESSAGES; k++) await queueOne(db, company.id, { to: [`client${k}@exemple.fr`] });
    const delivered: string[] = [];
    const mailer: Mailer = {
      description: 'in memory',
      connections: 2,
      close: () => {},
      send: async (mail) => {
        delivered.push(mail.to.join(','));
        return { response: '250 accepted', rejected: [] };
      },
    };

    seen = [];
    const report = await dispatchOutbox(db, company.id, { mailer });
    const writes = seen.filter((q) => /^\s*(with done as \()?update outbox/i.test(q.sql));
    seen = null;

    expect(report).toMatchObject({ sent: MESSAGES, failed: 0, retried: 0 });
    expect(new Set(delivered).size).toBe(MESSAGES);
    expect(delivered).toHaveLength(MESSAGES);
    const rows = await listOutbox(db, company.id);
    expect(rows.map((r) => r.status)).toEqual(Array(MESSAGES).fill('sent'));
    expect(rows.every((r) => r.attempts === 1 && r.smtpResponse === '250 accepted' && r.sentAt !== null)).toBe(true);
    // Each worker: one claim per message (which marks its previous one sent), one empty claim and a last mark;
    // the recovery of interrupted messages is one more.
    expect(writes.length).toBeGreaterThanOrEqual(MESSAGES);
    expect(writes.length).toBeLessThanOrEqual(MESSAGES + 2 * mailer.connections + 1);
  });
});

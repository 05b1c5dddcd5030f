import { afterEach, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { smtpMailer } from '../../src/mail/transport.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { queueOne } from '../mail/support/fixtures.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { startFaultyPeer, type Behaviour, type FaultyPeer } from './support/faulty-peer.ts';

let peer: FaultyPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

/**
 * The SMTP peer misbehaves: the dispatcher retries what may succeed later with the same Message-ID,
 * gives up visibly (status failed, the server's words in last_error) and never delivers a message twice.
 * The dispatcher's logic does not depend on the database, so these run on SQLite only.
 */
describe('an SMTP peer that misbehaves', () => {
  const store = useStore('sqlite');

  async function setup(behaviour: (index: number) => Behaviour, messages = 1) {
    const { db } = store();
    const { company } = await seedLedger(db);
    peer = await startFaultyPeer(behaviour);
    await saveMailSettings(db, company.id, { smtpUrl: peer.url, from: 'relances@preuve.fr' });
    const queued = [];
    for (let i = 0; i < messages; i++)
      queued.push(await queueOne(db, company.id, { to: [`client${i}@exemple.fr`], subject: `Relance ${i}` }));
    return { db, companyId: company.id, queued };
  }

  it('cuts the connection during DATA twice: retried on a new connection, then delivered once', async () => {
    const { db, companyId, queued } = await setup((i) => (i < 2 ? 'drop' : 'accept'));
    const report = await dispatchOutbox(db, companyId, { backoffSeconds: 0, maxAttempts: 5 });
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const [row] = await listOutbox(db, companyId);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(peer!.offered).toBe(3);
    expect(peer!.received.map((m) => m.messageId)).toEqual([queued[0]!.messageId]);
  });

  it('always cuts the connection: failed after the last attempt, saying why', async () => {
    const { db, companyId } = await setup(() => 'drop');
    expect(await dispatchOutbox(db, companyId, { backoffSeconds: 0, maxAttempts: 3 })).toMatchObject({
      sent: 0,
      failed: 1,
    });
    const [row] = await listOutbox(db, companyId);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row!.lastError).toMatch(/gave up after 3 attempts/);
    expect(peer!.received).toHaveLength(0);
  });

  it('answers 451 then 550: retried once, then failed with the permanent reply', async () => {
    const { db, companyId } = await setup((i) => (i === 0 ? 451 : 550));
    expect(await dispatchOutbox(db, companyId, { backoffSeconds: 0, maxAttempts: 5 })).toMatchObject({
      sent: 0,
      failed: 1,
      retried: 1,
    });
    const [row] = await listOutbox(db, companyId);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.lastError).toMatch(/550/);
    expect(peer!.offered).toBe(2);
  });

  it('a flaky peer under several messages: each delivered once or failed visibly, none twice', async () => {
    // A fixed pattern of drops, 421s, 451s and a 550 among acceptances.
    const pattern: Behaviour[] = ['accept', 'drop', 421, 'accept', 451, 'accept', 550, 'drop', 'accept', 'accept'];
    const { db, companyId, queued } = await setup((i) => pattern[i % pattern.length]!, 20);
    await dispatchOutbox(db, companyId, { backoffSeconds: 0, maxAttempts: 4 });
    const rows = await listOutbox(db, companyId, { limit: 100 });
    const ids = peer!.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of rows) {
      if (row.status === 'sent') expect(ids.filter((id) => id === row.messageId)).toHaveLength(1);
      else
        expect({ status: row.status, hasReason: (row.lastError ?? '').length > 0 }).toEqual({
          status: 'failed',
          hasReason: true,
        });
    }
    expect(rows.filter((r) => r.status === 'sent').length).toBe(ids.length);
    expect(rows.some((r) => r.status === 'failed')).toBe(true);
    expect(queued).toHaveLength(20);
  });

  // The production socket timeout is 60 s; the same mailer with a 2 s timeout keeps the test short.
  it('goes silent after DATA: the socket timeout ends the attempt and the message is failed visibly, not sent twice', async () => {
    const { db, companyId } = await setup(() => 'stall');
    const started = Date.now();
    const mailer = smtpMailer(peer!.url, { socketTimeoutMs: 2_000 });
    try {
      expect(await dispatchOutbox(db, companyId, { backoffSeconds: 0, maxAttempts: 1, mailer })).toMatchObject({
        sent: 0,
        failed: 1,
      });
    } finally {
      mailer.close();
    }
    const [row] = await listOutbox(db, companyId);
    expect(row!.status).toBe('failed');
    expect(row!.lastError).toMatch(/timeout|timed out|ETIMEDOUT/i);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(peer!.received).toHaveLength(0);
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { openStore } from '../../src/storage/database.ts';
import { countOutbox, enqueueMessages, INTERRUPTED, listOutbox } from '../../src/storage/outbox.ts';
import { ROOT } from '../cli/support.ts';
import { dialects, PG_URL } from '../support/stores.ts';
import { startSink, type Sink } from './support/sink.ts';

// Enough for the kills at random points and a remainder the resumed runs must finish. Each kill is the same
// experiment (a random point of the sending) in a process of its own, and starting that process is most of its
// cost: three show what five did, and a larger queue only takes longer to send.
const MESSAGES = 500;
const KILLS = 3;
const LEASE_SECONDS = 1;
const CONCURRENCY = 5; // the pooled mailer's default connections
const CHILD = join(ROOT, 'test/mail/support/dispatch-child.mjs');

type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string };

/**
 * Starts a dispatcher process; `killAt` returns true when it must die now (checked every millisecond or so),
 * so kills land at random points of the SMTP conversations and database updates.
 */
function runChild(target: string, companyId: string, killAt?: () => boolean): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, target, companyId, String(LEASE_SECONDS)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const timer = killAt
      ? setInterval(() => {
          if (killAt()) child.kill('SIGKILL');
        }, 1)
      : null;
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      done({ code, signal, stdout });
    });
  });
}

let cleanup: (() => Promise<void>) | undefined;
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  await cleanup?.();
  sink = undefined;
  cleanup = undefined;
});

async function target(dialect: 'sqlite' | 'postgres'): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'relance-crash-'));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    return join(dir, 'crash.db');
  }
  const schema = `crash_${randomBytes(5).toString('hex')}`;
  cleanup = async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
}

describe.each(dialects)('a dispatcher killed with SIGKILL on %s', (dialect) => {
  it(`delivers each of ${MESSAGES} messages exactly once at the peer or shows it as not sent`, async () => {
    const db = await target(dialect);
    sink = await startSink({ keepRaw: false });
    const store = await openStore(db);
    let companyId: string;
    try {
      const company = await createCompany(store.db, { legalName: 'Société Crash' });
      companyId = company.id;
      await saveMailSettings(store.db, company.id, { smtpUrl: sink.url, from: 'relances@crash.fr' });
      await enqueueMessages(
        store.db,
        company.id,
        Array.from({ length: MESSAGES }, (_, i) => ({
          kind: 'reminder' as const,
          idempotencyKey: `crash:${i}`,
          to: [`client${i}@exemple.fr`],
          subject: `Relance n°${i} : facture échue`,
          text: `Bonjour, la facture F${i} reste impayée.`,
          attachments: [
            {
              kind: 'file',
              filename: `F${i}.txt`,
              contentType: 'text/plain',
              base64: Buffer.from(`F${i}`).toString('base64'),
            },
          ],
        })),
      );
    } finally {
      await store.close();
    }

    // Each run is killed once the peer has accepted a random further 20–80 messages, plus a random few ms.
    const exits: Exit[] = [];
    for (let k = 0; k < KILLS; k++) {
      const threshold = sink.received.length + 20 + Math.floor(Math.random() * 60);
      let reachedAt: number | null = null;
      const delay = Math.random() * 4;
      exits.push(
        await runChild(db, companyId, () => {
          if (reachedAt === null && sink!.received.length >= threshold) reachedAt = performance.now();
          return reachedAt !== null && performance.now() - reachedAt >= delay;
        }),
      );
    }
    // Then runs left alone until the work is done, the last one after the dead runs' leases expired.
    exits.push(await runChild(db, companyId));
    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 200));
    exits.push(await runChild(db, companyId));

    expect(exits.slice(0, KILLS).map((e) => e.signal)).toEqual(Array(KILLS).fill('SIGKILL'));
    expect(exits.slice(KILLS).map((e) => e.code)).toEqual([0, 0]);

    const peer = new Map<string, number>();
    for (const message of sink.received) peer.set(message.messageId!, (peer.get(message.messageId!) ?? 0) + 1);
    const check = await openStore(db);
    try {
      const rows = await listOutbox(check.db, companyId, { limit: MESSAGES * 2 });
      const counts = await countOutbox(check.db, companyId);
      expect(rows).toHaveLength(MESSAGES);
      // None duplicated: the peer accepted no Message-ID twice.
      expect([...peer.values()].filter((n) => n > 1)).toEqual([]);
      // None lost: "sent" means the peer has it; anything else is a visible failure saying why.
      for (const row of rows) {
        if (row.status === 'sent') expect(peer.get(row.messageId), row.messageId).toBe(1);
        else expect({ status: row.status, error: row.lastError }).toEqual({ status: 'failed', error: INTERRUPTED });
      }
      // Only messages in flight at a kill can be in doubt.
      expect(counts.failed).toBeLessThanOrEqual(KILLS * CONCURRENCY);
      expect(counts.sent).toBeGreaterThanOrEqual(MESSAGES - KILLS * CONCURRENCY);
      expect(counts.queued + counts.sending).toBe(0);
      // Every message the peer has is one of ours.
      const ours = new Set(rows.map((r) => r.messageId));
      expect([...peer.keys()].every((id) => ours.has(id))).toBe(true);
      console.info(
        `crash test (${dialect}): ${KILLS} kills, ${counts.sent} sent, ${counts.failed} interrupted ` +
          `(${rows.filter((r) => r.status === 'failed' && peer.has(r.messageId)).length} of them reached the peer), ` +
          `${peer.size} distinct at the peer, none twice`,
      );
    } finally {
      await check.close();
    }
  }, 180_000);
});

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { openStore, rawQuery } from '../../src/storage/database.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { ROOT } from '../cli/support.ts';
import { expectAgreement, expectedSends, PROOF_POLICY } from './support/agreement.ts';
import { startFaultyPeer, type FaultyPeer } from './support/faulty-peer.ts';
import { privateClusterUnavailable, startPrivateCluster, type PrivateCluster } from './support/private-pg.ts';
import { databaseTarget, type Target } from './support/targets.ts';

// The shared PostgreSQL serves everyone's tests, so the one restarted here is a private cluster.
const unavailable = privateClusterUnavailable();
if (unavailable) console.warn(`PostgreSQL restart test left out: ${unavailable}`);
const DATE = '2026-11-25';
const INVOICES = 1_500;

type Cli = { code: number; stdout: string; stderr: string };
function relance(args: string[], cwd: string): { done: Promise<Cli> } {
  const { RELANCE_DB: _db, RELANCE_SMTP_URL: _smtp, ...env } = process.env;
  return {
    done: new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin/relance.js'), ...args],
        { cwd, env, timeout: 180_000, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    }),
  };
}

/** Polls the private cluster until `condition` holds (or the server is gone), then restarts it at once. */
async function restartWhen(cluster: PrivateCluster, url: string, query: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url.replace(/\?schema=(\w+)/, ''),
    options: `-c search_path=${/schema=(\w+)/.exec(url)![1]}`,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: string }>(query);
      if (Number(rows[0]!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end().catch(() => {});
  }
  cluster.stop('immediate');
  await new Promise((resolve) => setTimeout(resolve, 300));
  cluster.start();
  return true;
}

describe.skipIf(unavailable !== null)('PostgreSQL restarted during a run (private cluster)', () => {
  let cluster: PrivateCluster;
  let target: Target;
  let sink: FaultyPeer;
  // While set, the peer holds its answers to messages from `from` on until `open` settles.
  let gate: { from: number; open: Promise<void> } | null = null;
  const secretKey = process.env.RELANCE_SECRET_KEY;
  beforeAll(async () => {
    // The CLI runs in the target's folder: with PostgreSQL its ./data/secret.key would not be this process's, and the
    // SMTP settings saved here would not decrypt there. One key for every process, as for servers sharing a database.
    process.env.RELANCE_SECRET_KEY = randomBytes(32).toString('hex');
    cluster = await startPrivateCluster();
    target = await databaseTarget('postgres', cluster.url);
    sink = await startFaultyPeer((index) => (gate && index >= gate.from ? gate.open : 'accept'));
  }, 120_000);
  afterAll(async () => {
    if (secretKey === undefined) delete process.env.RELANCE_SECRET_KEY;
    else process.env.RELANCE_SECRET_KEY = secretKey;
    await sink?.close();
    await target?.dispose().catch(() => {});
    cluster?.dispose();
  });

  it('a process keeps its store across the restart: the next query reconnects', async () => {
    const store = await openStore(target.url);
    try {
      expect(await rawQuery(store.db, 'select 1 as one')).toEqual([{ one: 1 }]);
      cluster.stop('immediate');
      await expect(rawQuery(store.db, 'select 1 as one')).rejects.toThrow();
      cluster.start();
      expect(await rawQuery(store.db, 'select 2 as two')).toEqual([{ two: 2 }]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a run cut off while recording, then while sending, fails with a clear message and the next run finishes it', async () => {
    const setup = await openStore(target.url);
    let companyId: string;
    let expected: Set<string>;
    try {
      const company = await ensureDefaultCompany(setup.db);
      companyId = company.id;
      await loadDemo(setup.db, company.id, { invoices: INVOICES, customers: INVOICES / 10, seed: 11, asOf: DATE });
      await writePolicy(setup.db, company.id, { name: PROOF_POLICY.name, definition: PROOF_POLICY, makeDefault: true });
      await saveMailSettings(setup.db, company.id, { smtpUrl: sink.url, from: 'relances@preuve.fr' });
      ({ sends: expected } = await expectedSends(setup.db, company.id, DATE));
    } finally {
      await setup.close();
    }
    const args = ['run', '--db', target.url, '--date', DATE];

    // 1. Cut off once the first communications are recorded.
    const first = relance(args, target.dir);
    await restartWhen(cluster, target.url, 'select count(*) as n from communications');
    const cut = await first.done;
    // 2. The next run records the rest and starts sending; cut off once the peer has some. The peer holds its answer
    // to the 6th message on until the server is down: on a loaded machine the run used to send all that was left
    // in the second pg_ctl took to stop the server, and finish with nothing cut.
    const second = relance(args, target.dir);
    let release!: () => void;
    const sentAt = sink.offered;
    gate = {
      from: sentAt + 5,
      open: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    let secondDone = false;
    void second.done.then(() => {
      secondDone = true;
    });
    while (sink.offered <= sentAt + 5 && !secondDone) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    cluster.stop('immediate');
    release();
    gate = null;
    const cutWhileSending = await second.done;
    cluster.start();
    // 3. A run after the restart does what is left.
    const third = await relance(args, target.dir).done;

    for (const broken of [cut, cutWhileSending]) {
      // Either the restart fell between two statements and the run carried on, or it failed in one sentence with exit 3.
      if (broken.code !== 0) {
        expect(broken.code).toBe(3);
        // One sentence (and the hint about RELANCE_DEBUG), no stack trace.
        expect(broken.stderr, broken.stderr).toMatch(
          /^relance ?: .*(connection|connexion|terminat|ECONNREFUSED|shut ?down|PostgreSQL)/i,
        );
        expect(broken.stderr).not.toMatch(/\n\s+at /);
      }
    }
    expect(
      cutWhileSending.code,
      `first run exit ${cut.code}, peer offered ${sink.offered} (${sentAt} before the second run): ${cutWhileSending.stdout}`,
    ).toBe(3);
    expect({ code: third.code, stderr: third.stderr }).toEqual({ code: 0, stderr: '' });

    const check = await openStore(target.url);
    try {
      // A message whose sending was cut off stays visible as "sending" until its lease ends, then "failed".
      const seen = await expectAgreement(check.db, companyId, {
        date: DATE,
        expected,
        received: sink.received,
        dataDir: target.dir,
        inDoubt: ['sending'],
      });
      expect(seen.interrupted).toBeLessThanOrEqual(5);
      const runs = await rawQuery<{ status: string; error: string | null }>(
        check.db,
        'select status, error from runs order by started_at',
      );
      expect(runs.at(-1)!.status).toBe('completed');
      console.info(
        `PostgreSQL restart: first run exit ${cut.code} (${cut.stderr.trim() || 'carried on'}), sending run exit ` +
          `${cutWhileSending.code} (${cutWhileSending.stderr.trim()}); then ${seen.reminders} reminders, ${seen.sent} of ${seen.emails} ` +
          `e-mails sent once, ${seen.interrupted} in doubt and shown; runs ${runs.map((r) => r.status).join(', ')}`,
      );
    } finally {
      await check.close();
    }
  }, 300_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { openStore } from '../../src/storage/database.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { dialects } from '../support/stores.ts';
import { expectAgreement, expectedSends, PROOF_POLICY } from './support/agreement.ts';
import { runChild, type Exit } from './support/run-child.ts';
import { databaseTarget, type Target } from './support/targets.ts';

// `npm test` runs 600 invoices killed 4 times on each database, twice at a random moment of the planning, recording
// and printing and twice at a random point of the sending (each kill a process started afresh, which is most of its
// cost); RELANCE_PROOF_FULL=1 runs the 20,000 × 20 (results in docs/RELIABILITY.md).
const FULL = process.env.RELANCE_PROOF_FULL === '1';
const INVOICES = FULL ? 20_000 : 600;
const KILLS = FULL ? 20 : 4;
const DATE = '2026-11-25';
const LEASE_SECONDS = 1;
const CONNECTIONS = 5; // the pooled mailer's default

let target: Target | undefined;
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  await target?.dispose();
  sink = undefined;
  target = undefined;
});

describe.each(dialects)('a full dunning run killed with SIGKILL on %s', (dialect) => {
  it(
    `over ${INVOICES} invoices, killed ${KILLS} times and resumed: history, outbox and SMTP peer agree`,
    async () => {
      target = await databaseTarget(dialect);
      sink = await startSink({ keepRaw: false });
      const setup = await openStore(target.url);
      let companyId: string;
      let expected: Set<string>;
      let emails: number;
      let planMs: number;
      try {
        const company = await ensureDefaultCompany(setup.db);
        companyId = company.id;
        await loadDemo(setup.db, company.id, { invoices: INVOICES, customers: INVOICES / 10, seed: 7, asOf: DATE });
        await writePolicy(setup.db, company.id, {
          name: PROOF_POLICY.name,
          definition: PROOF_POLICY,
          makeDefault: true,
        });
        await saveMailSettings(setup.db, company.id, { smtpUrl: sink.url, from: 'relances@preuve.fr' });
        const started = performance.now();
        ({ sends: expected, emails } = await expectedSends(setup.db, company.id, DATE));
        planMs = performance.now() - started;
      } finally {
        await setup.close();
      }
      expect(expected.size).toBeGreaterThan(INVOICES / 20);

      // Kills alternate between a random moment of the planning/recording/printing and a random point of the
      // sending (once the peer has accepted a random further share of the e-mails, plus a few ms).
      const args = [target.url, companyId, DATE, target.dir, String(LEASE_SECONDS)];
      const exits: Exit[] = [];
      let recordMs = Math.max(planMs * 4, 500);
      for (let k = 0; k < KILLS; k++) {
        let readyAt: number | null = null;
        let dieAt: number | null = null;
        if (k % 2 === 0) {
          const delay = Math.random() * recordMs;
          const exit = await runChild('dunning-child.mjs', args, (out) => {
            if (readyAt === null && out.startsWith('ready')) readyAt = performance.now();
            if (readyAt !== null && out.includes('recorded'))
              recordMs = Math.max(recordMs, performance.now() - readyAt);
            return readyAt !== null && performance.now() - readyAt >= delay;
          });
          exits.push(exit);
        } else {
          const threshold = sink.received.length + 1 + Math.floor(Math.random() * Math.max(1, (emails * 1.5) / KILLS));
          const delay = Math.random() * 4;
          exits.push(
            await runChild('dunning-child.mjs', args, () => {
              if (dieAt === null && sink!.received.length >= threshold) dieAt = performance.now() + delay;
              return dieAt !== null && performance.now() >= dieAt;
            }),
          );
        }
      }
      // Then runs left alone until the work is done, the last one after the dead runs' leases expired.
      exits.push(await runChild('dunning-child.mjs', args));
      await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 200));
      exits.push(await runChild('dunning-child.mjs', args));
      const killed = exits.slice(0, KILLS).filter((e) => e.signal === 'SIGKILL').length;
      // A child can finish before its kill point once everything is sent; most must really have been killed.
      expect(killed).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
      for (const exit of exits)
        if (exit.signal !== 'SIGKILL')
          expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });

      const check = await openStore(target.url);
      try {
        const seen = await expectAgreement(check.db, companyId, {
          date: DATE,
          expected,
          received: sink.received,
          dataDir: target.dir,
        });
        expect(seen.interrupted).toBeLessThanOrEqual(killed * CONNECTIONS);
        console.info(
          `dunning crash (${dialect}): ${INVOICES} invoices, ${killed} kills, ${seen.reminders} reminders in ` +
            `${seen.communications} communications (${seen.letters} letters), ${seen.emails} e-mails: ${seen.sent} sent, ` +
            `${seen.interrupted} interrupted, none twice; ${seen.runs} runs, ${seen.unfinishedRuns} left unfinished by a kill`,
        );
      } finally {
        await check.close();
      }
    },
    FULL ? 1_800_000 : 300_000,
  );
});

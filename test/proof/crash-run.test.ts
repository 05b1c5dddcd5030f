import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { produceRunLetters } from '../../src/documents/run-letters.ts';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { openStore, rawQuery } from '../../src/storage/database.ts';
import { savePolicy } from '../../src/storage/dunning.ts';
import { INTERRUPTED, listOutbox } from '../../src/storage/outbox.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { dialects } from '../support/stores.ts';
import { runChild, type Exit } from './support/run-child.ts';
import { databaseTarget, type Target } from './support/targets.ts';

// `npm test` runs 2,000 invoices killed 5 times; RELANCE_PROOF_FULL=1 runs the 20,000 × 20.
const FULL = process.env.RELANCE_PROOF_FULL === '1';
const INVOICES = FULL ? 20_000 : 2_000;
const KILLS = FULL ? 20 : 5;
const DATE = '2026-11-25';
const LEASE_SECONDS = 1;
const CONNECTIONS = 5; // the pooled mailer's default

/** Letters and e-mails at the first step, so one run exercises plan → letters → e-mails. */
const POLICY = {
  name: 'preuve',
  steps: [
    { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email', 'letter'] },
    { label: 'Mise en demeure', delayDays: 15, from: 'previousStep', channels: ['letter'], formalNotice: true },
  ],
  minBalance: '15.00',
  minDaysBetween: 7,
};

let target: Target | undefined;
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  await target?.dispose();
  sink = undefined;
  target = undefined;
});

describe.each(dialects)('a full dunning run killed with SIGKILL on %s', (dialect) => {
  it(`over ${INVOICES} invoices, killed ${KILLS} times and resumed: history, outbox and SMTP peer agree`, async () => {
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
      await savePolicy(setup.db, company.id, { name: POLICY.name, definition: POLICY, makeDefault: true });
      await saveMailSettings(setup.db, company.id, { smtpUrl: sink.url, from: 'relances@preuve.fr' });
      const started = performance.now();
      const plan = await planDunning(setup.db, company.id, { date: DATE });
      planMs = performance.now() - started;
      expected = new Set(plan.items.filter((i) => i.action === 'send').map((i) => `${i.invoice}#${i.nextLevel}`));
      emails = plan.communications.filter((c) => c.channels.includes('email')).length;
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
        const exit = await runChild('dunning-child.ts', args, (out) => {
          if (readyAt === null && out.startsWith('ready')) readyAt = performance.now();
          if (readyAt !== null && out.includes('recorded')) recordMs = Math.max(recordMs, performance.now() - readyAt);
          return readyAt !== null && performance.now() - readyAt >= delay;
        });
        exits.push(exit);
      } else {
        const threshold = sink.received.length + 1 + Math.floor(Math.random() * Math.max(1, (emails * 1.5) / KILLS));
        const delay = Math.random() * 4;
        exits.push(await runChild('dunning-child.ts', args, () => {
          if (dieAt === null && sink!.received.length >= threshold) dieAt = performance.now() + delay;
          return dieAt !== null && performance.now() >= dieAt;
        }));
      }
    }
    // Then runs left alone until the work is done, the last one after the dead runs' leases expired.
    exits.push(await runChild('dunning-child.ts', args));
    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 200));
    exits.push(await runChild('dunning-child.ts', args));
    const killed = exits.slice(0, KILLS).filter((e) => e.signal === 'SIGKILL').length;
    // A child can finish before its kill point once everything is sent; most must really have been killed.
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
    for (const exit of exits) if (exit.signal !== 'SIGKILL') expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });

    const check = await openStore(target.url);
    try {
      const db = check.db;
      // The history: every reminder of the plan recorded exactly once, nothing more, and a new plan has nothing left.
      const reminders = await rawQuery<{ number: string; level: number; communication_id: string }>(db,
        `select i.number, r.level, r.communication_id from reminders r join invoices i
           on i.company_id = r.company_id and i.id = r.invoice_id where r.company_id = '${companyId}'`);
      expect(reminders).toHaveLength(expected.size);
      expect(new Set(reminders.map((r) => `${r.number}#${r.level}`))).toEqual(expected);
      const after = await planDunning(db, companyId, { date: DATE });
      expect(after.items.filter((i) => i.action === 'send')).toEqual([]);

      // The outbox: one e-mail per communication with the e-mail channel, none for the others, no orphan.
      const communications = await rawQuery<{ id: string; run_id: string; channels: string }>(db,
        `select id, run_id, channels from communications where company_id = '${companyId}'`);
      expect(new Set(reminders.map((r) => r.communication_id)).size).toBe(communications.length);
      const rows = await listOutbox(db, companyId, { limit: expected.size * 2 + 10 });
      const byCommunication = new Map(rows.map((r) => [r.communicationId, r]));
      expect(byCommunication.size).toBe(rows.length);
      const withEmail = communications.filter((c) => c.channels.split(',').includes('email'));
      expect(rows).toHaveLength(withEmail.length);
      for (const c of withEmail) expect(byCommunication.has(c.id), c.id).toBe(true);

      // The peer: no Message-ID twice; "sent" means the peer has it once; anything else is a visible failure.
      const peer = new Map<string, number>();
      for (const message of sink!.received) peer.set(message.messageId!, (peer.get(message.messageId!) ?? 0) + 1);
      expect([...peer.values()].filter((n) => n > 1)).toEqual([]);
      const ours = new Set(rows.map((r) => r.messageId));
      expect([...peer.keys()].filter((id) => !ours.has(id))).toEqual([]);
      for (const row of rows) {
        if (row.status === 'sent') expect(peer.get(row.messageId), row.messageId).toBe(1);
        else expect({ status: row.status, error: row.lastError }).toEqual({ status: 'failed', error: INTERRUPTED });
      }
      const failed = rows.filter((r) => r.status === 'failed').length;
      expect(failed).toBeLessThanOrEqual(killed * CONNECTIONS);

      // The letters: each run that finished printed its batch; a killed run's batch is made again from the
      // history (`relance letters --run ID`), and together they hold every letter once.
      const letterComms = communications.filter((c) => c.channels.split(',').includes('letter'));
      const runs = await rawQuery<{ id: string; status: string }>(db, `select id, status from runs where company_id = '${companyId}'`);
      const documents = await rawQuery<{ run_id: string; letters: number }>(db,
        `select run_id, letters from documents where company_id = '${companyId}' and kind = 'letters'`);
      const printed = new Map(documents.map((d) => [d.run_id, d.letters]));
      let letters = 0;
      for (const run of runs) {
        const own = letterComms.filter((c) => c.run_id === run.id).length;
        if (run.status === 'completed') {
          expect(printed.get(run.id) ?? 0, run.id).toBe(own);
        } else if (own > 0 || printed.has(run.id)) {
          const remade = await produceRunLetters(db, companyId, run.id, { dataDir: target!.dir });
          expect(remade?.letters ?? 0).toBe(own);
        }
        letters += own;
      }
      expect(letters).toBe(letterComms.length);
      const unfinished = runs.filter((r) => r.status !== 'completed').length;
      console.info(`dunning crash (${dialect}): ${INVOICES} invoices, ${killed} kills, ${expected.size} reminders in `
        + `${communications.length} communications (${letterComms.length} letters), ${rows.length} e-mails: `
        + `${rows.length - failed} sent, ${failed} interrupted, none twice; ${runs.length} runs, ${unfinished} left unfinished by a kill`);
    } finally {
      await check.close();
    }
  }, FULL ? 1_800_000 : 300_000);
});

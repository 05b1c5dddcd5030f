import { expect } from 'vitest';
import { produceRunLetters } from '../../../src/documents/run-letters.ts';
import { planDunning } from '../../../src/dunning/run-dunning.ts';
import { rawQuery, type Db } from '../../../src/storage/database.ts';
import { INTERRUPTED, listOutbox } from '../../../src/storage/outbox.ts';
import type { Received } from '../../mail/support/sink.ts';

/** Letters and e-mails at the first step, so one run exercises plan → letters → e-mails. */
export const PROOF_POLICY = {
  name: 'preuve',
  steps: [
    { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email', 'letter'] },
    { label: 'Mise en demeure', delayDays: 15, from: 'previousStep', channels: ['letter'], formalNotice: true },
  ],
  minBalance: '15.00',
  minDaysBetween: 7,
};

/** The reminders a run on `date` must record: `number#level` of each send of the plan. */
export async function expectedSends(
  db: Db,
  companyId: string,
  date: string,
): Promise<{ sends: Set<string>; emails: number }> {
  const plan = await planDunning(db, companyId, { date });
  return {
    sends: new Set(plan.items.filter((i) => i.action === 'send').map((i) => `${i.invoice}#${i.nextLevel}`)),
    emails: plan.communications.filter((c) => c.channels.includes('email')).length,
  };
}

export type Agreement = {
  reminders: number;
  communications: number;
  letters: number;
  emails: number;
  sent: number;
  interrupted: number;
  runs: number;
  unfinishedRuns: number;
};

/**
 * After runs that were killed or cut off and resumed: the reminders history is exactly the plan, each
 * communication has its one e-mail (when it has the e-mail channel) and its letter in a run's batch, and
 * the SMTP peer holds each sent message once and nothing else. Unfinished runs get their batch made again.
 */
export async function expectAgreement(
  db: Db,
  companyId: string,
  options: {
    date: string;
    expected: Set<string>;
    received: Received[];
    dataDir: string;
    /** Besides failed-as-interrupted, statuses a message cut off from its database may be left in (e.g. sending until its lease ends). */
    inDoubt?: string[];
  },
): Promise<Agreement> {
  const reminders = await rawQuery<{ number: string; level: number; communication_id: string }>(
    db,
    `select i.number, r.level, r.communication_id from reminders r join invoices i
       on i.company_id = r.company_id and i.id = r.invoice_id where r.company_id = '${companyId}'`,
  );
  expect(reminders).toHaveLength(options.expected.size);
  expect(new Set(reminders.map((r) => `${r.number}#${r.level}`))).toEqual(options.expected);
  const after = await planDunning(db, companyId, { date: options.date });
  expect(after.items.filter((i) => i.action === 'send')).toEqual([]);

  const communications = await rawQuery<{ id: string; run_id: string; channels: string }>(
    db,
    `select id, run_id, channels from communications where company_id = '${companyId}'`,
  );
  expect(new Set(reminders.map((r) => r.communication_id)).size).toBe(communications.length);
  const rows = await listOutbox(db, companyId, { limit: options.expected.size * 2 + 10 });
  const byCommunication = new Map(rows.map((r) => [r.communicationId, r]));
  expect(byCommunication.size).toBe(rows.length);
  const withEmail = communications.filter((c) => c.channels.split(',').includes('email'));
  expect(rows).toHaveLength(withEmail.length);
  for (const c of withEmail) expect(byCommunication.has(c.id), c.id).toBe(true);

  const peer = new Map<string, number>();
  for (const message of options.received) peer.set(message.messageId!, (peer.get(message.messageId!) ?? 0) + 1);
  expect([...peer.values()].filter((n) => n > 1)).toEqual([]);
  const ours = new Set(rows.map((r) => r.messageId));
  expect([...peer.keys()].filter((id) => !ours.has(id))).toEqual([]);
  for (const row of rows) {
    if (row.status === 'sent') expect(peer.get(row.messageId), row.messageId).toBe(1);
    else if (!options.inDoubt?.includes(row.status)) {
      expect({ status: row.status, error: row.lastError }).toEqual({ status: 'failed', error: INTERRUPTED });
    }
  }

  const letterComms = communications.filter((c) => c.channels.split(',').includes('letter'));
  const runs = await rawQuery<{ id: string; status: string }>(
    db,
    `select id, status from runs where company_id = '${companyId}'`,
  );
  const documents = await rawQuery<{ run_id: string; letters: number }>(
    db,
    `select run_id, letters from documents where company_id = '${companyId}' and kind = 'letters'`,
  );
  const printed = new Map(documents.map((d) => [d.run_id, d.letters]));
  let letters = 0;
  for (const run of runs) {
    const own = letterComms.filter((c) => c.run_id === run.id).length;
    if (run.status === 'completed') {
      expect(printed.get(run.id) ?? 0, run.id).toBe(own);
    } else if (own > 0 || printed.has(run.id)) {
      const remade = await produceRunLetters(db, companyId, run.id, { dataDir: options.dataDir });
      expect(remade?.letters ?? 0).toBe(own);
    }
    letters += own;
  }
  expect(letters).toBe(letterComms.length);
  const interrupted = rows.filter((r) => r.status !== 'sent').length;
  return {
    reminders: reminders.length,
    communications: communications.length,
    letters,
    emails: rows.length,
    sent: rows.length - interrupted,
    interrupted,
    runs: runs.length,
    unfinishedRuns: runs.filter((r) => r.status !== 'completed').length,
  };
}

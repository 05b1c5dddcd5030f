import type { Kysely } from 'kysely';
import { todayIn } from '../domain/calendar.ts';
import { selectionRequests } from '../documents/letter-requests.ts';
import { dispatchAfterQueueing } from '../mail/dispatch-after.ts';
import type { DispatchReport } from '../mail/dispatch.ts';
import { getMailSettings, smtpUrlOf } from '../mail/settings.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import { invoiceNumbersByIds } from '../storage/message-selection.ts';
import type { Database } from '../storage/schema.ts';
import { runDunning, type RunResult } from './run-dunning.ts';

export type SelectedRemindersInput = { invoiceIds: string[]; dryRun: boolean; emailsAs: 'email' | 'letter' };

export type SelectedReminders = {
  run: RunResult['run'];
  communications: number;
  reminders: number;
  emails: number;
  letters: number;
  smtpConfigured: boolean;
  notSent: { invoice: string; reason: string }[];
  dispatch: DispatchReport | null;
};

/**
 * "Envoyer les relances" for a selection of invoices: records what today's plan sends for them (e-mails queued with
 * their reminders, letters in the run's batch), with an audit row for the run, then dispatches the outbox once.
 * A dry run records nothing and says what would be sent.
 */
export async function sendSelectedReminders(
  db: Kysely<Database>,
  actor: Actor,
  input: SelectedRemindersInput,
  options: { dataDir?: string; onError?: (error: unknown) => void } = {},
): Promise<SelectedReminders> {
  const date = todayIn((await getCompany(db, actor.companyId)).timeZone);
  // Checks every id exists and is visible to the caller (404 otherwise) before anything is recorded.
  await selectionRequests(db, actor, input.invoiceIds, { date });
  const numbers = await invoiceNumbersByIds(db, actor.companyId, [...new Set(input.invoiceIds)]);
  const lettersOnly = input.emailsAs === 'letter';
  const settings = await getMailSettings(db, actor.companyId);
  const smtpConfigured = smtpUrlOf(settings) !== null && !settings.problem;
  // Without an SMTP server runDunning refuses e-mails before recording anything (the person may choose letters).
  const result = await runDunning(db, actor.companyId, {
    date,
    invoiceNumbers: numbers,
    dryRun: input.dryRun,
    dataDir: options.dataDir,
    lettersOnly,
    refuseWithoutSmtp: true,
    alongside: (trx, recorded) =>
      auditBy(trx, actor, 'reminders.sent', recorded.run!.id, {
        invoices: numbers.length,
        communications: recorded.communications,
      }),
  });
  const sends = result.plan.communications;
  const notSent = result.plan.items
    .filter((i) => i.action !== 'send')
    .map((i) => ({ invoice: i.invoice, reason: i.reason?.message ?? i.action }));
  const planned = new Set(result.plan.items.map((i) => i.invoice));
  for (const number of numbers)
    if (!planned.has(number)) notSent.push({ invoice: number, reason: 'nothing left to pay' });
  return {
    run: result.run,
    communications: result.run ? result.communications : sends.length,
    reminders: result.run ? result.reminders : sends.reduce((n, c) => n + c.invoices.length, 0),
    emails: lettersOnly ? 0 : sends.filter((c) => c.channels.includes('email')).length,
    letters: lettersOnly ? sends.length : sends.filter((c) => c.channels.includes('letter')).length,
    smtpConfigured,
    notSent,
    dispatch: result.run ? await dispatchAfterQueueing(db, actor.companyId, options) : null,
  };
}

import { todayIn } from '../domain/calendar.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomerByCode } from '../storage/customers.ts';
import type { Store } from '../storage/database.ts';
import { dispatchAfterQueueing } from '../mail/dispatch-after.ts';
import type { DispatchReport } from '../mail/dispatch.ts';
import { runDunning, type RunOptions, type RunResult } from './run-dunning.ts';

export type RunRemindersInput = Omit<RunOptions, 'date'> & { date?: string };

/**
 * A dunning run asked for by a person (API, command line) or the scheduler: who may run what is checked here (a
 * collector restricted to a représentant runs one of its customers at a time; no reminder is recorded on a date
 * still to come), then `runDunning` records each communication in its own transaction, and the run gets one audit row
 * naming who started it, written with the run's completion. A simulation (`dryRun`) records nothing and writes no audit row.
 */
export async function runReminders(db: Store['db'], actor: Actor, input: RunRemindersInput): Promise<RunResult> {
  if (actor.salesRep !== null && !input.customerCode) {
    throw new AppError(
      'forbidden',
      'A collector restricted to a sales rep runs reminders one customer at a time.',
      [],
      { key: 'problem.dunning.restrictedRun' },
    );
  }
  if (input.customerCode)
    assertSees(
      actor,
      await getCustomerByCode(db, actor.companyId, input.customerCode),
      `customer with code ${input.customerCode}`,
    );
  const today = todayIn((await getCompany(db, actor.companyId)).timeZone);
  const date = input.date ?? today;
  if (!input.dryRun && input.kind !== 'automatic' && date > today)
    throw new AppError('invalid_input', `${date} is in the future; use the plan (or dryRun) to simulate it.`, [], {
      key: 'problem.dunning.futureDate',
      params: { date },
    });
  return runDunning(db, actor.companyId, {
    ...input,
    date,
    alongside: (trx, result) =>
      auditBy(trx, actor, 'run.recorded', result.run!.id, {
        date,
        kind: input.kind ?? 'manual',
        communications: result.communications,
        reminders: result.reminders,
      }),
  });
}

/**
 * A run asked for through the API: what it queued is sent at once (as `relance run` does) rather than waiting for
 * someone to dispatch; a failure to reach the SMTP server is reported and the messages stay queued.
 */
export async function runRemindersAndDispatch(
  db: Store['db'],
  actor: Actor,
  input: RunRemindersInput,
  options: { onError?: (error: unknown) => void } = {},
): Promise<RunResult & { dispatch: DispatchReport | null }> {
  const result = await runReminders(db, actor, input);
  // A run that recorded nothing new still sends what is queued: the e-mails of an earlier run cut off before
  // they left are finished by the next run, as the user expects.
  const dispatch =
    result.run && !result.skipped
      ? await dispatchAfterQueueing(db, actor.companyId, { dataDir: input.dataDir, onError: options.onError })
      : null;
  return { ...result, dispatch };
}

import type { Kysely } from 'kysely';
import { runRemindersAndDispatch } from '../dunning/run-reminders.ts';
import { systemActor } from '../shared/actor.ts';
import { describeDispatch } from '../mail/describe-dispatch.ts';
import { startDispatchLoop } from '../mail/dispatch-loop.ts';
import type { Database } from '../storage/schema.ts';
import { startScheduler, type SchedulerOptions } from './scheduler.ts';

export type WorkerOptions = {
  /** Where letters and .eml files are written (next to the SQLite file, else ./data). */
  dataDir: string;
  log: (message: string) => void;
  /** How often the outbox is swept for messages whose retry time has come. */
  dispatchIntervalSeconds?: number;
  now?: SchedulerOptions['now'];
};

export type Workers = { scheduler: ReturnType<typeof startScheduler>; stop(): Promise<void> };

/**
 * What runs in the background of a long-lived process (`relance serve`, `relance scheduler`): each company's
 * daily automatic run at its local time, then its e-mails; and the outbox sweep, so a message that failed
 * transiently is retried when its backoff ends instead of waiting for the next run. Several processes may
 * run these on one PostgreSQL database: a run claims its (company, day) and a message is leased before it
 * is sent, so neither happens twice.
 */
export function startWorkers(db: Kysely<Database>, options: WorkerOptions): Workers {
  const { dataDir, log } = options;
  const scheduler = startScheduler({
    db,
    log,
    now: options.now,
    job: async (company, date) => {
      const result = await runRemindersAndDispatch(
        db,
        systemActor(company.id, 'scheduler'),
        { date, kind: 'automatic', dataDir },
        { onError: (error) => log(`${company.legalName} ${date}: dispatch failed: ${(error as Error).message}`) },
      );
      log(
        `${company.legalName} ${date}: ${result.skipped ?? `${result.communications} communications, ${result.reminders} reminders`}`,
      );
      if (result.dispatch) log(`${company.legalName} ${date}: ${describeDispatch(result.dispatch)}`);
    },
  });
  const outbox = startDispatchLoop(db, { dataDir, log, intervalSeconds: options.dispatchIntervalSeconds });
  return {
    scheduler,
    async stop() {
      scheduler.stop();
      await outbox.stop();
    },
  };
}

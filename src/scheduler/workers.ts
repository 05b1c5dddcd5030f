import type { Kysely } from 'kysely';
import { runRemindersAndDispatch } from '../dunning/run-reminders.ts';
import { systemActor } from '../shared/actor.ts';
import { describeDispatch } from '../mail/describe-dispatch.ts';
import { startDispatchLoop } from '../mail/dispatch-loop.ts';
import type { Database } from '../storage/schema.ts';
import { startScheduler, type SchedulerOptions } from './scheduler.ts';
import { translator, type MessageLanguage } from '../i18n/index.ts';

export type WorkerOptions = {
  /** Where letters and .eml files are written (next to the SQLite file, else ./data). */
  dataDir: string;
  log: (message: string) => void;
  /** The language of the log lines: the CLI reader's for `relance scheduler`, English in the server's log. */
  language?: MessageLanguage;
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
  const language = options.language ?? 'en';
  const t = translator(language);
  const scheduler = startScheduler({
    db,
    log,
    language,
    now: options.now,
    job: async (company, date) => {
      const where = { company: company.legalName, date };
      const result = await runRemindersAndDispatch(
        db,
        systemActor(company.id, 'scheduler'),
        { date, kind: 'automatic', dataDir },
        {
          onError: (error) =>
            log(t('cli.report.scheduler.dispatchFailed', { ...where, reason: (error as Error).message })),
        },
      );
      log(
        result.skipped
          ? t('cli.report.scheduler.skipped', {
              ...where,
              reason: result.skippedReason ? t(result.skippedReason.code, result.skippedReason.params) : result.skipped,
            })
          : t('cli.report.scheduler.ran', {
              ...where,
              communications: t('cli.report.scheduler.communications', { count: result.communications }),
              reminders: t('cli.report.scheduler.reminders', { count: result.reminders }),
            }),
      );
      if (result.dispatch)
        log(t('cli.report.scheduler.dispatched', { ...where, summary: describeDispatch(result.dispatch, language) }));
    },
  });
  const outbox = startDispatchLoop(db, { dataDir, log, language, intervalSeconds: options.dispatchIntervalSeconds });
  return {
    scheduler,
    async stop() {
      scheduler.stop();
      await outbox.stop();
    },
  };
}

import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { dispatchOutbox, type DispatchReport } from './dispatch.ts';
import { getMailSettings, smtpUrlOf } from './settings.ts';
import { smtpMailer, type Mailer } from './transport.ts';
import { describeDispatch } from './describe-dispatch.ts';
import { translator, type MessageLanguage } from '../i18n/index.ts';

export type DispatchLoop = { stop(): Promise<void> };

/**
 * For a long-running worker (the scheduler): every `intervalSeconds`, sends what is due in every
 * company's outbox, so retries after a transient failure go out when their backoff ends rather than at the
 * next run. One pooled mailer per SMTP URL is kept open between sweeps. Companies without SMTP are left
 * alone (their .eml files are written by `relance dispatch` or a run).
 */
export function startDispatchLoop(
  db: Kysely<Database>,
  options: { intervalSeconds?: number; dataDir?: string; log?: (message: string) => void; language?: MessageLanguage },
): DispatchLoop {
  const mailers = new Map<string, Mailer>();
  const language = options.language ?? 'en';
  const t = translator(language);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const sweep = async (): Promise<void> => {
    const due = await db
      .selectFrom('outbox')
      .select('company_id')
      .distinct()
      .where('status', 'in', ['queued', 'sending'])
      .where('next_attempt_at', '<=', new Date().toISOString())
      .execute();
    for (const { company_id: companyId } of due) {
      if (stopped) return;
      const url = smtpUrlOf(await getMailSettings(db, companyId));
      if (url === null) continue;
      let mailer = mailers.get(url);
      if (!mailer) {
        mailer = smtpMailer(url, { dkim: (await getMailSettings(db, companyId)).dkim });
        mailers.set(url, mailer);
      }
      try {
        const report: DispatchReport = await dispatchOutbox(db, companyId, { mailer, dataDir: options.dataDir });
        if (report.sent + report.failed + report.retried + report.interrupted > 0 || report.stopped) {
          options.log?.(
            t('cli.report.scheduler.outbox', { company: companyId, summary: describeDispatch(report, language) }),
          );
        }
      } catch (error) {
        // One company's failure (its SMTP down, a bad row) must not stop the others'.
        options.log?.(
          t('cli.report.scheduler.dispatchFailed', { company: companyId, reason: (error as Error).message }),
        );
      }
    }
  };
  const timer = setInterval(
    () => {
      running = running
        .then(sweep)
        .catch((error: Error) => options.log?.(t('cli.report.scheduler.sweepFailed', { reason: error.message })));
    },
    (options.intervalSeconds ?? 60) * 1000,
  );
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const mailer of mailers.values()) mailer.close();
    },
  };
}

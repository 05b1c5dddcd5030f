import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { isWorkingDay } from '../domain/business-days.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Company } from '../domain/ledger.ts';
import { listCompanies } from '../storage/companies.ts';
import { onAutomationChanged } from './automation.ts';
import type { Database } from '../storage/schema.ts';
import { translator, type MessageLanguage } from '../i18n/index.ts';

/** What the scheduler triggers; it must itself claim the (company, day) so several workers run it once. */
export type DailyJob = (company: Company, date: IsoDate) => Promise<void>;

export type SchedulerOptions = {
  db: Kysely<Database>;
  job: DailyJob;
  /** How often company settings are re-read, so switching automatic mode on needs no restart. */
  refreshMinutes?: number;
  log?: (message: string) => void;
  /** The language of the log lines (the CLI's reader's; English in the server's log). */
  language?: MessageLanguage;
  now?: () => Temporal.Instant;
};

/** Why a day has no run: `reason` in English, `why` its catalogue key (`cli.report.scheduler.why.*`). */
export type Decision =
  { run: true; date: IsoDate } | { run: false; date: IsoDate; reason: string; why: 'off' | 'before' | 'notWorkingDay' };

/** Whether the company's automatic run is due at `now`: on or after its local time, on a working day. */
export function dueAt(company: Company, now: Temporal.Instant): Decision {
  const local = now.toZonedDateTimeISO(company.timeZone);
  const date = local.toPlainDate().toString();
  if (!company.automation.enabled) return { run: false, date, reason: 'automatic mode is off', why: 'off' };
  const [hour, minute] = company.automation.time.split(':').map(Number) as [number, number];
  if (local.hour * 60 + local.minute < hour * 60 + minute)
    return { run: false, date, reason: `before ${company.automation.time}`, why: 'before' };
  const rule = {
    country: company.address.country,
    skipWeekends: company.automation.skipWeekends,
    skipHolidays: company.automation.skipHolidays,
  };
  if (!isWorkingDay(date, rule)) return { run: false, date, reason: 'not a working day', why: 'notWorkingDay' };
  return { run: true, date };
}

type Scheduled = { company: Company; cron: Cron; key: string };

/**
 * One cron per company with automatic mode on, at its local time in its time zone. On start (and at
 * each refresh) a run missed while no worker was up is caught up; the job's claim keeps it to one a day.
 */
export function startScheduler(options: SchedulerOptions): {
  stop(): void;
  scheduled(): { companyId: string; nextRun: Date | null }[];
  refresh(): Promise<void>;
} {
  const log = options.log ?? (() => {});
  const t = translator(options.language ?? 'en');
  const say = (key: string, params: Record<string, string | number>) => log(t(`cli.report.scheduler.${key}`, params));
  const now = options.now ?? (() => Temporal.Now.instant());
  const jobs = new Map<string, Scheduled>();

  const fire = async (company: Company) => {
    let decision: Decision;
    try {
      decision = dueAt(company, now());
    } catch (error) {
      say('cannotSchedule', { company: company.legalName, reason: (error as Error).message });
      return;
    }
    if (!decision.run) {
      say('notToday', {
        company: company.legalName,
        date: decision.date,
        why: t(`cli.report.scheduler.why.${decision.why}`, { time: company.automation.time }),
      });
      return;
    }
    try {
      await options.job(company, decision.date);
    } catch (error) {
      say('failed', { company: company.legalName, date: decision.date, reason: (error as Error).message });
    }
  };

  const refresh = async () => {
    const companies = (await listCompanies(options.db)).filter((c) => c.automation.enabled);
    const wanted = new Set(companies.map((c) => c.id));
    for (const [id, job] of jobs) {
      if (!wanted.has(id)) {
        job.cron.stop();
        jobs.delete(id);
      }
    }
    for (const company of companies) {
      const key = `${company.timeZone}|${company.automation.time}`;
      const current = jobs.get(company.id);
      if (current?.key === key) {
        current.company = company;
        continue;
      }
      current?.cron.stop();
      const [hour, minute] = company.automation.time.split(':');
      const entry: Scheduled = { company, key, cron: undefined as unknown as Cron };
      try {
        entry.cron = new Cron(
          `${Number(minute)} ${Number(hour)} * * *`,
          { timezone: company.timeZone, protect: true },
          () => fire(entry.company),
        );
      } catch (error) {
        // One company's bad setting must not keep the others from being scheduled.
        say('cannotSchedule', { company: company.legalName, reason: (error as Error).message });
        continue;
      }
      jobs.set(company.id, entry);
    }
    await Promise.all(companies.map((company) => fire(company)));
  };

  const refresher = new Cron(`*/${options.refreshMinutes ?? 10} * * * *`, { protect: true }, () =>
    refresh().catch((error) => say('refreshFailed', { reason: (error as Error).message })),
  );
  const ready = refresh().catch((error) => say('startFailed', { reason: (error as Error).message }));
  // A change made in this process (the API's automation settings) is scheduled at once.
  const unsubscribe = onAutomationChanged(
    () => void ready.then(refresh).catch((error) => say('refreshFailed', { reason: (error as Error).message })),
  );
  return {
    stop() {
      unsubscribe();
      refresher.stop();
      for (const job of jobs.values()) job.cron.stop();
      jobs.clear();
    },
    scheduled: () => [...jobs.entries()].map(([companyId, job]) => ({ companyId, nextRun: job.cron.nextRun() })),
    refresh: async () => {
      await ready;
      await refresh();
    },
  };
}

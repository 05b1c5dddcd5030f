import type { Kysely } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import { buildPlan, type Plan } from '../domain/dunning/engine.ts';
import type { Grouping } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { withDeferredCheckpoint } from '../storage/bulk.ts';
import { refreshStatistics } from '../storage/statistics.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { finishRun, getAutomaticRun, reopenRun, startRun, type Run } from '../storage/dunning.ts';
import type { Database } from '../storage/schema.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import { loadDunningInputs, type InputFilter, type LoadedInput } from './load-inputs.ts';
import { chargesForPlan, loadChargesSetting, type ItemCharges } from './plan-charges.ts';
import { splitPlan } from './split-plan.ts';
import { missingRatesFor } from './late-payment-rates.ts';
import type { MissingRate } from '../domain/late-payment/rates.ts';

export { NEVER } from './store-next-actions.ts';
/** An automatic run that has not finished after this long is taken to be dead and resumed. */
const STALE_RUN_MINUTES = 15;

export type PlanOptions = { date: IsoDate; customerCode?: string; invoiceNumbers?: string[]; grouping?: Grouping };

async function plan(
  db: Kysely<Database>,
  companyId: string,
  options: PlanOptions,
  filter: InputFilter,
  read: { settlements?: boolean } = {},
): Promise<{ plan: Plan; inputs: LoadedInput[] }> {
  const inputs = await loadDunningInputs(db, companyId, filter, read);
  // Without an explicit choice each invoice follows its own policy's grouping.
  return { plan: buildPlan(inputs, options.date, options.grouping ? { grouping: options.grouping } : {}), inputs };
}

/** A plan with each late invoice's charges, and the rates to enter before they can be computed (late-payment-rates.ts). */
export type PlanWithCharges = Plan & { charges: Map<string, ItemCharges>; missingRates?: MissingRate[] };

/**
 * The simulation: what a run on `date` would do, changing nothing, with each late invoice's charges. A large
 * SQLite ledger is planned in two threads (split-plan.ts), to the same plan.
 */
export async function planDunning(
  db: Kysely<Database>,
  companyId: string,
  options: PlanOptions,
): Promise<PlanWithCharges> {
  // The reads are independent: on PostgreSQL each goes out on its own pooled connection at once, so the plan waits
  // for the longest rather than for the sum of a dozen round trips (SQLite's one connection takes them in turn).
  const [missingRates, split] = await Promise.all([
    missingRatesFor(db, companyId, options.date),
    splitPlan(db, companyId, options),
  ]);
  if (split) return { ...split, missingRates };
  const [{ plan: planned, inputs }, setting] = await Promise.all([
    plan(
      db,
      companyId,
      options,
      { customerCode: options.customerCode, invoiceNumbers: options.invoiceNumbers },
      { settlements: true },
    ),
    loadChargesSetting(db, companyId),
  ]);
  return { ...planned, charges: chargesForPlan(planned, inputs, setting), missingRates };
}

export type RunOptions = PlanOptions & {
  dryRun?: boolean;
  kind?: 'manual' | 'automatic';
  /** Every communication goes by post (the person chose letters, e.g. because no SMTP server is configured). */
  lettersOnly?: boolean;
  /**
   * A person's send (CLI, API, web): without an SMTP server a run that would queue e-mails is refused before
   * anything is recorded. Other callers (scheduler, imports of history, tests of the planner) queue as before.
   */
  refuseWithoutSmtp?: boolean;
  /** Where the printable batch of letters is written (default ./data). */
  dataDir?: string;
  /** false: the batch is not printed now (`relance letters --run ID` makes it on demand), as for a replayed past. */
  printLetters?: boolean;
  /** Written in the transaction that marks the run completed (its audit row): a run is never audited half-way. */
  alongside?: (trx: Db, result: RunResult) => Promise<void>;
};

export type RunResult = {
  run: Run | null;
  plan: Plan;
  /** Communications recorded by this run; those another run recorded first are counted in `raced`. */
  communications: number;
  reminders: number;
  raced: number;
  /** Communications left out because an invoice was paid, disputed or held while the run worked. */
  stale: number;
  /** Why nothing was done (an automatic run already done or under way for that day), in English for logs. */
  skipped?: string;
  /** The same as a catalogue key (`plan.skipped.*`) and its params, said in each reader's language. */
  skippedReason?: SkipReason;
};

export type SkipReason = { code: string; params: Record<string, string | number> };

type Skip = { skipped: string; skippedReason: SkipReason };

function skip(text: string, why: 'completed' | 'running' | 'notClaimed' | 'notStarted', date: IsoDate): Skip {
  return { skipped: text, skippedReason: { code: `plan.skipped.${why}`, params: { date } } };
}

async function claimAutomatic(db: Kysely<Database>, companyId: string, date: IsoDate): Promise<Run | Skip> {
  const completed = () => skip(`the automatic run of ${date} already completed`, 'completed', date);
  const done = await getAutomaticRun(db, companyId, date);
  if (done?.status === 'completed') return completed();
  const claimed = await startRun(db, companyId, { date, kind: 'automatic' });
  if (claimed) return claimed;
  const existing = await getAutomaticRun(db, companyId, date);
  if (!existing) return skip('the automatic run of this day could not be claimed', 'notClaimed', date);
  if (existing.status === 'completed') return completed();
  const stale = Date.parse(existing.startedAt) < Date.now() - STALE_RUN_MINUTES * 60_000;
  if (existing.status === 'running' && !stale)
    return skip(`the automatic run of ${date} is under way in another worker`, 'running', date);
  // Reminders are unique per invoice and level, so resuming a dead run can never record one twice.
  await reopenRun(db, companyId, existing.id);
  return existing;
}

/** Refuses a run that would queue e-mails while no SMTP server is configured (or its settings cannot be read). */
async function assertEmailsCanLeave(
  db: Kysely<Database>,
  companyId: string,
  options: RunOptions,
  filter: InputFilter,
): Promise<void> {
  // Loaded by a run only: a plan (`relance plan`, the reminders' history) needs neither the mail nor the letters.
  const { getMailSettings, noSmtpMessage, smtpUrlOf } = await import('../mail/settings.ts');
  const settings = await getMailSettings(db, companyId);
  if (smtpUrlOf(settings) !== null && !settings.problem) return;
  const { plan: planned } = await plan(db, companyId, options, filter);
  if (!planned.communications.some((c) => c.channels.includes('email'))) return;
  const language = companyLanguage(await getCompany(db, companyId));
  throw new AppError('conflict', noSmtpMessage(language), [], { key: 'mail.noSmtp' });
}

/**
 * Executes the plan: each communication and its reminders are recorded together (a batch of communications
 * per transaction, dunning-batch.ts), so a crash leaves each of them whole or absent, and a second run (or a
 * resumed one) only does what is left.
 * An automatic run reads only invoices whose next-action date has come, then stores the next one.
 */
export async function runDunning(db: Kysely<Database>, companyId: string, options: RunOptions): Promise<RunResult> {
  const kind = options.kind ?? 'manual';
  const filter: InputFilter = {
    customerCode: options.customerCode,
    invoiceNumbers: options.invoiceNumbers,
    ...(kind === 'automatic' ? { dueBy: options.date } : {}),
  };
  if (options.dryRun) {
    const { plan: dry } = await plan(db, companyId, options, filter);
    return { run: null, plan: dry, communications: 0, reminders: 0, raced: 0, stale: 0 };
  }
  // Said before anything is recorded (not even the run): a person sending reminders without an SMTP server
  // learns that no e-mail can leave, and may send them by post instead.
  if (options.refuseWithoutSmtp && !options.lettersOnly && !options.dryRun)
    await assertEmailsCanLeave(db, companyId, options, filter);
  const claim =
    kind === 'automatic'
      ? await claimAutomatic(db, companyId, options.date)
      : await startRun(db, companyId, { date: options.date, kind });
  if (claim === null || 'skipped' in claim) {
    return {
      run: null,
      plan: {
        date: options.date,
        items: [],
        communications: [],
        summary: { levels: [], outOfCycle: { count: 0, totals: {} }, byReason: {} },
      },
      communications: 0,
      reminders: 0,
      raced: 0,
      stale: 0,
      ...(claim ?? skip('not started', 'notStarted', options.date)),
    };
  }
  const run = claim;
  try {
    // The recording (letters' PDF, e-mails, follow-ups) is loaded by a run only, not by the plans that import this.
    const { recordRun } = await import('./record-run.ts');
    // The write-ahead log is copied into the database file by the checkpoint worker, not in the run's commits.
    const result = await withDeferredCheckpoint(db, async (checkpoint) => {
      const { plan: planned, inputs } = await plan(db, companyId, options, filter);
      return recordRun(db, companyId, options, { kind, run, planned, inputs, checkpoint });
    });
    // A bulk write like an import: the first run dates the next step of every open invoice and records a reminder
    // for many. PostgreSQL's statistics still said none had a date, so the next day's read of the few due went
    // through the index of every open invoice (0.77 s at 200,000 invoices instead of 1 ms), and with none on the
    // reminders its look-ups by invoice scanned the company's. Past the first run it reads a few counters. SQLite's
    // reads of a run take their indexes whatever its statistics say: its plans are left as they were measured.
    if (isPostgres(db)) await refreshStatistics(db, ['invoices', 'reminders'], result.plan.items.length);
    return result;
  } catch (error) {
    await finishRun(db, companyId, run.id, { status: 'failed', error: (error as Error).message }).catch(() => {});
    throw error;
  }
}

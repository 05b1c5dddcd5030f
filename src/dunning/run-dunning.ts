import type { Kysely } from 'kysely';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { buildPlan, type Plan } from '../domain/dunning/engine.ts';
import type { Grouping } from '../domain/dunning/policy.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { withDeferredCheckpoint } from '../storage/bulk.ts';
import { finishRun, getAutomaticRun, reopenRun, startRun, type Run } from '../storage/dunning.ts';
import { recordCommunications } from '../storage/dunning-batch.ts';
import { produceRunLetters } from '../documents/run-letters.ts';
import type { Database } from '../storage/schema.ts';
import { emailsForCommunications } from '../mail/compose.ts';
import { getMailSettings, noSmtpMessage, smtpUrlOf } from '../mail/settings.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import { loadDunningInputs, type InputFilter, type LoadedInput } from './load-inputs.ts';
import { chargesForPlan, loadChargesSetting, type ItemCharges } from './plan-charges.ts';
import { splitPlan } from './split-plan.ts';
import { nextActionAfter, storeNextActions } from './store-next-actions.ts';
import { assertSendingIdentity } from '../communications/sending-identity.ts';
import { sendingNeedsOf } from '../domain/identity.ts';
import { missingRatesFor } from './late-payment-rates.ts';
import type { MissingRate } from '../domain/late-payment/rates.ts';
import { runFollowUps } from '../follow-ups/run-follow-ups.ts';

export { NEVER } from './store-next-actions.ts';
/** An automatic run that has not finished after this long is taken to be dead and resumed. */
const STALE_RUN_MINUTES = 15;
/**
 * Communications whose e-mails are rendered together and recorded in one transaction. A day's due set (1,888 at a
 * million invoices) is one batch: each further one re-read the contexts' settings and re-wrote in its commit the
 * index pages the others had written (a fifth of the run's write-ahead log at 500), while a batch's e-mails stay a
 * few MB in memory on a first run that records hundreds of thousands.
 */
const EMAIL_BATCH = 2_000;

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
    // The write-ahead log is copied into the database file by the checkpoint worker after each batch's commit.
    return await withDeferredCheckpoint(db, (checkpoint) =>
      recordRun(db, companyId, options, { kind, filter, run, checkpoint }),
    );
  } catch (error) {
    await finishRun(db, companyId, run.id, { status: 'failed', error: (error as Error).message }).catch(() => {});
    throw error;
  }
}

/** The claimed run's work: plan, record each batch of communications with its e-mails, date the next steps, finish. */
async function recordRun(
  db: Kysely<Database>,
  companyId: string,
  options: RunOptions,
  {
    kind,
    filter,
    run,
    checkpoint,
  }: { kind: 'manual' | 'automatic'; filter: InputFilter; run: Run; checkpoint: () => Promise<void> },
): Promise<RunResult> {
  const { plan: planned, inputs } = await plan(db, companyId, options, filter);
  const byNumber = new Map(inputs.map((input) => [input.invoice.number, input]));
  await assertSendingIdentity(db, companyId, sendingNeedsOf(planned.communications.map((c) => c.channels)));
  const result: RunResult = { run, plan: planned, communications: 0, reminders: 0, raced: 0, stale: 0 };
  // Categories are stored only by the run of the company's today (another day's cannot say what holds today).
  const withCategories = options.date === todayIn((await getCompany(db, companyId)).timeZone);
  // Invoices whose next step was stored with their reminder, in the batch's transaction.
  const dated = new Set<string>();
  // E-mails are rendered a batch at a time (contexts and templates read once per batch) and queued in
  // the transaction that records their reminders.
  for (let at = 0; at < planned.communications.length; at += EMAIL_BATCH) {
    // The batches before this one leave their log to the checkpoint worker (the last one's goes once the run ends).
    if (at > 0) await checkpoint();
    const batch = planned.communications.slice(at, at + EMAIL_BATCH);
    const delivery = options.lettersOnly
      ? batch.map(() => ({ channels: ['letter'], emails: [] }))
      : await emailsForCommunications(
          db,
          companyId,
          batch.map((c) => ({
            customerId: c.customerId,
            invoiceIds: c.invoices.map((item) => byNumber.get(item.invoice)!.invoiceId),
            level: c.level,
            date: options.date,
            channels: c.channels,
          })),
        );
    const outcomes = await recordCommunications(
      db,
      companyId,
      batch.map((communication, index) => ({
        runId: run.id,
        customerId: communication.customerId,
        currency: communication.currency,
        level: communication.level,
        label: communication.label,
        date: options.date,
        channels: delivery[index]!.channels,
        invoices: communication.invoices.map((item) => {
          const input = byNumber.get(item.invoice)!;
          return {
            invoiceId: input.invoiceId,
            level: item.nextLevel!,
            updatedAt: input.updatedAt,
            next: nextActionAfter(input, item.nextLevel!, options.date, withCategories),
          };
        }),
        emails: delivery[index]!.emails,
      })),
    );
    for (const [index, communication] of batch.entries()) {
      const outcome = outcomes[index]!;
      if (outcome.status === 'raced') result.raced++;
      if (outcome.status === 'stale') result.stale++;
      if (outcome.status !== 'recorded') continue;
      result.communications++;
      result.reminders += communication.invoices.length;
      for (const item of communication.invoices) {
        // A new array: invoices without history share one empty array, which must stay empty.
        const input = byNumber.get(item.invoice)!;
        input.reminders = [...input.reminders, { level: item.nextLevel!, date: options.date, pending: true }];
        dated.add(input.invoiceId);
      }
    }
  }
  await storeNextActions(db, companyId, inputs, options.date, withCategories, dated);
  // The reminders are recorded whatever happens to the printing: a failed batch is reported in the
  // summary and `relance letters --run ID` makes it again.
  const letters =
    options.printLetters === false
      ? null
      : await produceRunLetters(db, companyId, run.id, { dataDir: options.dataDir }).then(
          (document) => document?.path ?? null,
          (error: Error) => `failed: ${error.message}`,
        );
  // The day's quote follow-ups and instalment reminders go with the automatic run; like the letters, a
  // failure there is written in the summary and leaves the reminders recorded.
  const followUps =
    kind !== 'automatic'
      ? undefined
      : await runFollowUps(db, companyId, { date: options.date }).then(
          (r) => ({
            quotes: r.quotes.filter((q) => q.status === 'queued').length,
            instalments: r.instalments.filter((i) => i.status === 'queued').length,
          }),
          (error: Error) => `failed: ${error.message}`,
        );
  const finished: RunResult = { ...result, run: { ...run, status: 'completed', finishedAt: nowIso() } };
  await inTransaction(db, async (trx) => {
    await finishRun(trx, companyId, run.id, {
      status: 'completed',
      summary: {
        communications: result.communications,
        reminders: result.reminders,
        raced: result.raced,
        stale: result.stale,
        items: planned.items.length,
        sends: planned.items.filter((i) => i.action === 'send').length,
        letters,
        followUps,
      },
    });
    await options.alongside?.(trx, finished);
  });
  return finished;
}

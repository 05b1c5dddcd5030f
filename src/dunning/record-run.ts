import type { Kysely } from 'kysely';
import { todayIn } from '../domain/calendar.ts';
import type { Plan } from '../domain/dunning/engine.ts';
import { sendingNeedsOf } from '../domain/identity.ts';
import { assertSendingIdentity } from '../communications/sending-identity.ts';
import { produceRunLetters } from '../documents/run-letters.ts';
import { runFollowUps } from '../follow-ups/run-follow-ups.ts';
import { emailsForCommunications } from '../mail/compose.ts';
import { getCompany } from '../storage/companies.ts';
import { nowIso } from '../storage/database.ts';
import { finishRun, type Run } from '../storage/dunning.ts';
import { recordCommunications } from '../storage/dunning-batch.ts';
import type { Database } from '../storage/schema.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { LoadedInput } from './load-inputs.ts';
import type { RunOptions, RunResult } from './run-dunning.ts';
import { nextActionAfter, storeNextActions } from './store-next-actions.ts';

/**
 * Communications whose e-mails are rendered together and recorded in one transaction. A day's due set (1,888 at a
 * million invoices) is one batch: each further one re-read the contexts' settings and re-wrote in its commit the
 * index pages the others had written (a fifth of the run's write-ahead log at 500), while a batch's e-mails stay a
 * few MB in memory on a first run that records hundreds of thousands.
 */
const EMAIL_BATCH = 2_000;

/** The claimed run's work: plan, record each batch of communications with its e-mails, date the next steps, finish. */
export async function recordRun(
  db: Kysely<Database>,
  companyId: string,
  options: RunOptions,
  {
    kind,
    run,
    planned,
    inputs,
    checkpoint,
  }: {
    kind: 'manual' | 'automatic';
    run: Run;
    planned: Plan;
    inputs: LoadedInput[];
    checkpoint: () => Promise<void>;
  },
): Promise<RunResult> {
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

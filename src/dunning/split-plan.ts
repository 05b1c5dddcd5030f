import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import { assembleSorted, mergeDecisions } from '../domain/dunning/engine.ts';
import { type Policy, policyFor } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { loadPolicies } from './load-inputs.ts';
import { decodePart, type EncodedPart } from './plan-transfer.ts';
import { planPart, type PartOutcome, type Policies } from './plan-part.ts';
import type { PlanOptions, PlanWithCharges } from './run-dunning.ts';

/**
 * A plan of a large SQLite ledger made in two threads: the machine's second core reads and decides the
 * invoices of the upper rowids while this thread does the lower ones, then this thread puts the decisions in
 * plan order. The plan is the same as one made in one thread (test/dunning/plan-split.test.ts): plan order is
 * total, so each part is sorted in its thread and the two merged, and each invoice is decided from its own rows.
 *
 * Consistency: a plan is a read that changes nothing, and a run (which is never split) re-checks each invoice
 * (updated_at) before it records a reminder. Each invoice is read once, by one part (relance never runs
 * VACUUM, the one thing that renumbers rowids). Each part reads in its own statements, each its own snapshot,
 * as the one-thread plan already does for its invoices, customers and reminders; a write committed meanwhile
 * is seen by one part and not the other, as it would be by one of those reads and not the next. One thing is
 * new: both parts read the customers and policies, so a customer paused or a policy saved between the two
 * reads can show its invoices in one plan under both states, until the next plan (writePolicy and
 * setCustomerDunning also mark the invoices changed, which a run would see).
 */

/**
 * Below this many open invoices the second thread does not pay (measured warm, one thread / two: 53,000 open
 * invoices 0.53 / 0.48-0.63 s, 133,000 1.56 / 1.22 s, 267,000 about 4.0 / 2.7 s).
 */
export const SPLIT_MIN_OPEN = 100_000;
/**
 * The worker's share of the open invoices, balanced on 1M invoices: the worker reads and decides faster (its
 * heap holds nothing else) and this thread still merges and groups the whole plan once the parts are in.
 */
const WORKER_SHARE = 0.52;
/** About this many invoices are sampled to place the split at the wanted share. */
const SAMPLE = 8192;

export type PartJob = { file: string; companyId: string; date: IsoDate; rowids: { from?: number; to?: number } };
export type PartReply = EncodedPart | { error: string };

/**
 * An idle plan thread is ended after this long: its heap keeps the garbage of its last part as long as it
 * does nothing (no allocation, no collection), and plans made one after the other reuse it well before.
 */
const IDLE_MS = 60_000;

/**
 * `loaded` is set by the thread itself once it listens (plan-part-worker.ts): read without waiting for its
 * message, which a process busy with promises alone (a plan, then the next) does not take in between.
 */
type Pooled = { worker: Worker; loaded: Int32Array; started: Promise<void>; idle?: NodeJS.Timeout };
let pool: Pooled | null = null;
let busy = false;
/** Set when the thread could not start: this process then plans in one thread, as before. */
let broken = false;
let warned = false;
/** Set once a process asked for the thread (it lives on): a thread ended for idleness is then started again. */
let restartWhenIdle = false;

function warnOnce(message: string): void {
  if (!warned) process.emitWarning(message);
  warned = true;
}

function endWhenIdle(pooled: Pooled): void {
  pooled.idle = setTimeout(() => {
    if (pool === pooled) pool = null;
    void pooled.worker.terminate();
  }, IDLE_MS).unref();
}

/**
 * Starts the plan thread, kept (unreferenced) for every later plan; resolves once it has loaded the planner.
 * A process that lives on calls it at start (serve, scheduler), so that its first large plan is already made in
 * two threads; one that does not is never given the thread.
 */
export function startPlanThread(): Promise<void> {
  restartWhenIdle = true;
  if (pool !== null) return pool.started;
  if (broken) return Promise.resolve();
  const loaded = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./plan-worker.js', import.meta.url), { workerData: { loaded } });
  worker.unref();
  const pooled: Pooled = { worker, loaded, started: Promise.resolve() };
  pooled.started = new Promise<void>((resolve) => {
    worker.once('message', () => {
      endWhenIdle(pooled);
      resolve();
    });
    worker.on('exit', () => {
      if (pool === pooled) pool = null;
      if (Atomics.load(loaded, 0) === 0) {
        broken = true;
        warnOnce('the plan thread could not start; plans are made in one thread');
      }
      resolve();
    });
  });
  // An error also ends the thread ('exit' follows); a job under way is failed by its own listener.
  worker.on('error', () => {});
  pool = pooled;
  return pooled.started;
}

/**
 * The plan thread if it is ready and free, else null. Only a process that lives on starts it (`relance serve` and
 * `relance scheduler`, through startPlanThread): loading the planner takes it half a second or more of CPU, which a
 * plan of a 1M-invoice ledger made in two threads barely gains back, and which a one-off `relance plan` paid for
 * nothing (its plan is made in one thread while the thread loads). After an idle minute the thread ends and the
 * next large plan starts it again, for the plans after it.
 */
function pooledWorker(): { worker: Worker; release(): void } | null {
  if (pool === null) {
    if (restartWhenIdle) void startPlanThread();
    return null;
  }
  if (Atomics.load(pool.loaded, 0) === 0 || busy) return null;
  busy = true;
  const pooled = pool;
  clearTimeout(pooled.idle);
  return {
    worker: pooled.worker,
    release: () => {
      pooled.worker.unref();
      busy = false;
      endWhenIdle(pooled);
    },
  };
}

function send(worker: Worker, job: PartJob, release: () => void): Promise<EncodedPart> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      release();
    };
    const onMessage = (reply: PartReply | 'ready') => {
      if (reply === 'ready') return;
      finish();
      if ('error' in reply) reject(new Error(reply.error));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const onExit = (code: number) => {
      finish();
      reject(new Error(`the plan thread exited (${code})`));
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // Referenced while it works: an awaited reply alone does not keep the process alive.
    worker.ref();
    worker.postMessage(job);
  });
}

/**
 * The open invoices' rowids sampled (multiples of a step, in order: one pass over an index of the open
 * invoices, 30 ms for 1M invoices where counting below a few rowids took 200 ms), or null when the company has
 * too few to split. A split placed from it a little off balance only costs time.
 */
async function sampleRowids(db: Db, companyId: string, minOpen: number): Promise<number[] | null> {
  const top = (await sql<{ top: number | null }>`select max(rowid) as top from invoices`.execute(db)).rows[0]?.top ?? 0;
  if (top < minOpen) return null;
  const step = Math.max(1, Math.floor(top / SAMPLE));
  const sample = (
    await sql<{ id: number }>`select i.rowid as id from invoices i
    where i.company_id = ${companyId} and ${isOpenInvoice('i')} and i.rowid % ${step} = 0`.execute(db)
  ).rows.map((r) => r.id);
  if (sample.length === 0 || sample.length * step < minOpen) return null;
  return sample.sort((a, b) => a - b);
}

function fromWorker(part: EncodedPart, policies: Policies): PartOutcome {
  const { planned, charges } = decodePart(part);
  const mine: Policy[] = part.policyIds.map((id) => policyFor({ policyId: id }, policies));
  return { decisions: { planned, policies: mine }, charges: new Map(charges) };
}

/** `worker` (tests): a thread of its own for this plan instead of the shared one. */
export type SplitOptions = { minOpen?: number; worker?: () => Worker };

/**
 * The plan of `planDunning` made in two threads, or null when it should be made in one: PostgreSQL (its
 * server has its own cores), a transaction, a plan of one customer or a few invoices, a ledger under `minOpen` open invoices,
 * a database in memory, or while the thread starts or works for another plan. A failing thread costs time,
 * never the plan: its part is then made here.
 */
export async function splitPlan(
  db: Db,
  companyId: string,
  options: PlanOptions,
  { minOpen = SPLIT_MIN_OPEN, worker: started }: SplitOptions = {},
): Promise<PlanWithCharges | null> {
  // In a transaction, only this connection sees what the transaction wrote: the worker would plan without it.
  if (isPostgres(db) || db.isTransaction || options.customerCode !== undefined || options.invoiceNumbers?.length)
    return null;
  const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db))
    .rows[0]?.file;
  if (!file) return null;
  const sample = await sampleRowids(db, companyId, minOpen);
  if (sample === null) return null;
  const thread = started
    ? {
        worker: started(),
        release() {
          void this.worker.terminate();
        },
      }
    : pooledWorker();
  if (thread === null) return null;
  // The worker takes the invoices from this rowid up.
  const split = sample[Math.floor(sample.length * (1 - WORKER_SHARE))]!;
  const theirs = send(thread.worker, { file, companyId, date: options.date, rowids: { from: split } }, () =>
    thread.release(),
  );
  // Until this thread waits for it, a failure is only recorded, not thrown unheard.
  theirs.catch(() => {});
  const policies = await loadPolicies(db, companyId);
  let mine: PartOutcome;
  try {
    mine = await planPart(db, companyId, options.date, { to: split }, policies);
  } catch (error) {
    await theirs.catch(() => {});
    throw error;
  }
  const other = await theirs.then(
    (reply) => fromWorker(reply, policies),
    async (error: Error) => {
      warnOnce(`the plan's second thread failed, its part is made in the main thread: ${error.message}`);
      return planPart(db, companyId, options.date, { from: split }, policies);
    },
  );
  const plan = assembleSorted(
    mergeDecisions(mine.decisions, other.decisions),
    options.date,
    options.grouping ? { grouping: options.grouping } : {},
  );
  const charges = mine.charges;
  for (const [number, charge] of other.charges) charges.set(number, charge);
  return { ...plan, charges };
}

import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Policy } from '../domain/dunning/policy.ts';
import type { Database } from '../storage/schema.ts';
import { cachingDatabase } from '../storage/sqlite-statement-cache.ts';
import { loadPolicies } from './load-inputs.ts';
import { planPart } from './plan-part.ts';
import type { PartJob } from './split-plan.ts';
import { encodePart, type EncodedPart } from './plan-transfer.ts';

/**
 * Makes the part of a plan it is sent, on its own read-only connection to the same SQLite file (WAL lets it
 * read beside the main thread), and answers with the decisions, each policy by its id (the main thread has
 * its own copies), and the charges. The connection lives for one job; the thread stays for the next plan.
 */
async function answer(job: PartJob): Promise<EncodedPart> {
  const native = new BetterSqlite3(job.file, { readonly: true, fileMustExist: true });
  try {
    native.pragma('busy_timeout = 10000');
    native.pragma('cache_size = -65536');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(native) }) });
    const policies = await loadPolicies(db, job.companyId);
    const { decisions, charges } = await planPart(db, job.companyId, job.date, job.rowids, policies);
    const ids = new Map<Policy, string>();
    for (const [id, policy] of policies.byId) ids.set(policy, id);
    return encodePart(
      decisions.planned,
      decisions.policies.map((p) => ids.get(p) ?? null),
      charges,
    );
  } finally {
    native.close();
  }
}

// The planner is loaded: the thread is given parts from now on (the flag is read at once, the message when the
// main thread next takes its messages).
Atomics.store((workerData as { loaded: Int32Array }).loaded, 0, 1);
parentPort!.postMessage('ready');
parentPort!.on('message', (job: PartJob) => {
  answer(job).then(
    (part) => parentPort!.postMessage(part, [part.refs.buffer as ArrayBuffer, part.numbers.buffer as ArrayBuffer]),
    (error: Error) => parentPort!.postMessage({ error: error.stack ?? String(error) }),
  );
});

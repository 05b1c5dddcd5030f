import type { Insertable, Kysely } from 'kysely';
import { newId } from '../shared/ids.ts';
import { isUniqueViolation, nowIso, type Db } from './database.ts';
import {
  announceRecorded,
  communicationRows,
  recordCommunication,
  type CommunicationInput,
  type RecordOutcome,
} from './dunning.ts';
import { insertRecords } from './bulk.ts';
import { inIds } from './in-list.ts';
import { isPostgres } from './migrations/column-types.ts';
import { storeOrClearNextActions } from './next-actions.ts';
import { isOpenInvoice } from './open-invoice.ts';
import { queueMessages, type OutboxInput } from './outbox.ts';
import type { Database } from './schema.ts';
import { wantsEvent } from './webhooks.ts';

/** Rows per multi-row INSERT and ids per look-up: well under either engine's bound-parameter limit. */
const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < list.length; at += CHUNK) out.push(list.slice(at, at + CHUNK));
  return out;
}

/**
 * Records a run's communications with the same outcome for each as `recordCommunication` one by one, in one
 * transaction and a few statements per table instead of about ten statements and a commit per communication
 * (which made a daily run cost milliseconds per invoice due). Each communication is still whole or absent: the
 * batch commits together or not at all.
 *
 * The invoices are re-read inside the transaction (locked on PostgreSQL; SQLite's transaction holds the write
 * lock from BEGIN), so a communication whose invoice changed since the plan is `stale` exactly as alone. A
 * unique key met (another run recorded one of these levels, or queued one of these e-mails) rolls the batch back
 * and records its communications one by one, each then `raced` or recorded as before.
 */
export async function recordCommunications(
  db: Db,
  companyId: string,
  inputs: CommunicationInput[],
): Promise<RecordOutcome[]> {
  // Inside a caller's transaction a failed statement would poison it on PostgreSQL: one by one, as before.
  if (inputs.length > 1 && !db.isTransaction) {
    try {
      return await (db as Kysely<Database>).transaction().execute((trx) => recordTogether(trx, companyId, inputs));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const outcomes: RecordOutcome[] = [];
  for (const input of inputs) outcomes.push(await recordCommunication(db, companyId, input));
  return outcomes;
}

type Current = { updatedAt: string; balance: number };

/** The open, undisputed invoices among `ids` as they are now (locked on PostgreSQL when a guard needs them). */
async function currentInvoices(
  trx: Db,
  companyId: string,
  ids: string[],
  lock: boolean,
): Promise<Map<string, Current>> {
  const current = new Map<string, Current>();
  for (const part of chunks(ids)) {
    let check = trx
      .selectFrom('invoices')
      .select(['id', 'updated_at', 'total', 'allocated'])
      .where('company_id', '=', companyId)
      .where(inIds(trx, 'id', part))
      .where(isOpenInvoice())
      .where('disputed', '=', 0);
    if (lock && isPostgres(trx)) check = check.forUpdate();
    for (const r of await check.execute())
      current.set(r.id, { updatedAt: r.updated_at, balance: r.total - r.allocated });
  }
  return current;
}

async function recordTogether(trx: Db, companyId: string, inputs: CommunicationInput[]): Promise<RecordOutcome[]> {
  const invoiceIds = [...new Set(inputs.flatMap((input) => input.invoices.map((i) => i.invoiceId)))];
  const guarded = inputs.some((input) => input.invoices.some((i) => i.updatedAt !== undefined));
  const current = await currentInvoices(trx, companyId, invoiceIds, guarded);
  const now = nowIso();
  const outcomes: RecordOutcome[] = [];
  const communications: Insertable<Database['communications']>[] = [];
  const reminders: Insertable<Database['reminders']>[] = [];
  const emails: OutboxInput[] = [];
  const changed: CommunicationInput['invoices'] = [];
  const recorded: { id: string; input: CommunicationInput }[] = [];
  for (const input of inputs) {
    if (input.invoices.some((i) => i.updatedAt !== undefined && current.get(i.invoiceId)?.updatedAt !== i.updatedAt)) {
      outcomes.push({ status: 'stale' });
      continue;
    }
    const id = newId();
    const rows = communicationRows(companyId, id, input, now, (invoiceId) => current.get(invoiceId)?.balance ?? null);
    communications.push(rows.communication);
    reminders.push(...rows.reminders);
    changed.push(...input.invoices);
    for (const email of input.emails ?? []) emails.push({ ...email, communicationId: id });
    recorded.push({ id, input });
    outcomes.push({ status: 'recorded', id });
  }
  // SQLite: one prepared statement run per row; PostgreSQL: one COPY per table. Building multi-row INSERTs of
  // thousands of values cost more than either (and the server parsed and bound them one parameter at a time).
  await insertRecords(trx, 'communications', communications);
  await insertRecords(trx, 'reminders', reminders);
  await queueMessages(trx, companyId, emails);
  // The invoices' next step and "Relances" category changed with their reminders: stored as the run worked them
  // out (one UPDATE for the batch), else computed again when next needed.
  await storeOrClearNextActions(trx, companyId, changed);
  // The subscriptions are read once; only a company with a reminder.sent webhook pays for the events.
  if (await wantsEvent(trx, companyId, 'reminder.sent'))
    for (const { id, input } of recorded) await announceRecorded(trx, companyId, id, input);
  return outcomes;
}

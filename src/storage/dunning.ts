import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { insertUnique, isUniqueViolation, nowIso, type Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';
import { storeOrClearNextActions, type NextActionRow } from './next-actions.ts';
import { isOpenInvoice } from './open-invoice.ts';
import { enqueueMessages, type OutboxInput } from './outbox.ts';
import { announceCommunication } from './webhooks.ts';
import type { Insertable } from 'kysely';
import type { Database, RunRow } from './schema.ts';
import { inTransaction } from './transactions.ts';
import type { StoredPolicy } from './policy-reads.ts';

// The plan thread reads policies without loading this module's writers (and through them the store's opening).
export { listPolicies, type StoredPolicy } from './policy-reads.ts';

/** Saves a policy under its name (replacing one of that name); the company's first policy is its default. */
export async function writePolicy(
  db: Db,
  companyId: string,
  input: { name: string; definition: unknown; makeDefault?: boolean },
): Promise<StoredPolicy> {
  return inTransaction(db, async (trx) => {
    const now = nowIso();
    const existing = await trx
      .selectFrom('policies')
      .select(['id', 'is_default'])
      .where('company_id', '=', companyId)
      .where('name', '=', input.name)
      .executeTakeFirst();
    const anyDefault = await trx
      .selectFrom('policies')
      .select('id')
      .where('company_id', '=', companyId)
      .where('is_default', '=', 1)
      .executeTakeFirst();
    const makeDefault = input.makeDefault === true || !anyDefault || anyDefault.id === existing?.id;
    if (makeDefault && anyDefault && anyDefault.id !== existing?.id) {
      await trx.updateTable('policies').set({ is_default: 0 }).where('company_id', '=', companyId).execute();
    }
    const definition = JSON.stringify(input.definition);
    const id = existing?.id ?? newId();
    if (existing) {
      await trx
        .updateTable('policies')
        .set({ definition, is_default: makeDefault ? 1 : 0, updated_at: now })
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .execute();
    } else {
      await insertUnique(
        () =>
          trx
            .insertInto('policies')
            .values({
              company_id: companyId,
              id,
              name: input.name,
              is_default: makeDefault ? 1 : 0,
              definition,
              created_at: now,
              updated_at: now,
            })
            .execute(),
        `A policy named ${input.name} already exists.`,
        { key: 'problem.customers.policyExists', params: { name: input.name } },
      );
    }
    // Every invoice may now have another next step.
    // updated_at moves too, so a run under way cannot write back a date computed from the old policy.
    await trx
      .updateTable('invoices')
      .set({ next_action_date: null, updated_at: now })
      .where('company_id', '=', companyId)
      .execute();
    return { id, name: input.name, isDefault: makeDefault, definition: input.definition };
  });
}

/** The named policy, or the company's default one; null when the company has none yet. */
export async function getPolicy(db: Db, companyId: string, name?: string): Promise<StoredPolicy | null> {
  let query = db.selectFrom('policies').selectAll().where('company_id', '=', companyId);
  query = name === undefined ? query.where('is_default', '=', 1) : query.where('name', '=', name);
  const row = await query.executeTakeFirst();
  if (!row && name !== undefined)
    throw new AppError('not_found', `No dunning policy named ${name}.`, [], {
      key: 'problem.notFound.policy',
      params: { name },
    });
  return row
    ? { id: row.id, name: row.name, isDefault: row.is_default === 1, definition: JSON.parse(row.definition) }
    : null;
}

export type CustomerDunning = {
  policyName?: string | null;
  pausedUntil?: IsoDate | null;
  blockedReason?: string | null;
};

/** Gives a customer its own policy, pauses it until a date, or blocks it; undefined fields are left as they are. */
export async function setCustomerDunning(
  db: Db,
  companyId: string,
  customerCode: string,
  input: CustomerDunning,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', companyId)
      .where('code', '=', customerCode)
      .executeTakeFirst();
    if (!customer)
      throw new AppError('not_found', `No customer with code ${customerCode}.`, [], {
        key: 'problem.notFound.customerCode',
        params: { code: customerCode },
      });
    const values: {
      policy_id?: string | null;
      dunning_paused_until?: string | null;
      dunning_blocked_reason?: string | null;
    } = {};
    if (input.policyName !== undefined) {
      values.policy_id = input.policyName === null ? null : (await getPolicy(trx, companyId, input.policyName))!.id;
    }
    if (input.pausedUntil !== undefined) values.dunning_paused_until = input.pausedUntil;
    if (input.blockedReason !== undefined) values.dunning_blocked_reason = input.blockedReason;
    if (Object.keys(values).length === 0) return;
    await trx
      .updateTable('customers')
      .set(values)
      .where('company_id', '=', companyId)
      .where('id', '=', customer.id)
      .execute();
    await trx
      .updateTable('invoices')
      .set({ next_action_date: null, updated_at: nowIso() })
      .where('company_id', '=', companyId)
      .where('customer_id', '=', customer.id)
      .execute();
  });
}

export type Run = {
  id: string;
  date: IsoDate;
  kind: RunRow['kind'];
  status: RunRow['status'];
  dryRun: boolean;
  summary: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    date: row.run_date,
    kind: row.kind,
    status: row.status,
    dryRun: row.dry_run === 1,
    summary: row.summary === null ? null : JSON.parse(row.summary),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Starts a run. An automatic run is claimed per company and day: when another worker already claimed
 * this day, null is returned and this worker does nothing.
 */
export async function startRun(
  db: Db,
  companyId: string,
  input: { date: IsoDate; kind: RunRow['kind']; dryRun?: boolean },
): Promise<Run | null> {
  const row: RunRow = {
    company_id: companyId,
    id: newId(),
    run_date: input.date,
    kind: input.kind,
    status: 'running',
    dry_run: input.dryRun ? 1 : 0,
    summary: null,
    error: null,
    started_at: nowIso(),
    finished_at: null,
  };
  try {
    await db.insertInto('runs').values(row).execute();
  } catch (error) {
    if (input.kind === 'automatic' && isUniqueViolation(error)) return null;
    throw error;
  }
  return toRun(row);
}

/** The automatic run of a day, to resume one whose worker died before it completed. */
export async function getAutomaticRun(db: Db, companyId: string, date: IsoDate): Promise<Run | null> {
  const row = await db
    .selectFrom('runs')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('kind', '=', 'automatic')
    .where('run_date', '=', date)
    .executeTakeFirst();
  return row ? toRun(row) : null;
}

export async function reopenRun(db: Db, companyId: string, runId: string): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status: 'running', error: null, started_at: nowIso(), finished_at: null })
    .where('company_id', '=', companyId)
    .where('id', '=', runId)
    .execute();
}

export async function finishRun(
  db: Db,
  companyId: string,
  runId: string,
  outcome: { status: 'completed' | 'failed'; summary?: unknown; error?: string },
): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      status: outcome.status,
      summary: outcome.summary === undefined ? null : JSON.stringify(outcome.summary),
      error: outcome.error ?? null,
      finished_at: nowIso(),
    })
    .where('company_id', '=', companyId)
    .where('id', '=', runId)
    .execute();
}

export async function listRuns(db: Db, companyId: string, limit = 50): Promise<Run[]> {
  const rows = await db
    .selectFrom('runs')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('started_at', 'desc')
    .orderBy('run_date', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

export type CommunicationInput = {
  runId: string | null;
  customerId: string;
  currency: string;
  level: number;
  label: string;
  date: IsoDate;
  channels: string[];
  /**
   * `updatedAt`, when given, is the invoice as the plan saw it: any change since cancels the communication. `next`,
   * when given, is its next step once this reminder is recorded (a run's), stored with it; otherwise the next step
   * and category are cleared, to be computed again when next needed.
   */
  invoices: { invoiceId: string; level: number; updatedAt?: string; next?: NextActionRow }[];
  /** The e-mails of this communication, queued in the same transaction (a reminder and its e-mail exist together or not at all). */
  emails?: OutboxInput[];
  /**
   * `pending` (the default): its message has not left yet; the dispatcher (SMTP accepted it) or the run's
   * printing marks it `sent`. `sent`: a letter the person prints and posts now (printed selection, composer).
   */
  state?: 'pending' | 'sent';
};

export type RecordOutcome = { status: 'recorded'; id: string } | { status: 'raced' } | { status: 'stale' };

class Stale extends Error {}

/**
 * The rows a communication is recorded as: its own and one reminder per invoice, the same whether it is recorded
 * alone (`recordCommunication`) or with the rest of a run's batch (`recordCommunications`).
 */
export function communicationRows(
  companyId: string,
  id: string,
  input: CommunicationInput,
  now: string,
  balanceOf: (invoiceId: string) => number | null,
): { communication: Insertable<Database['communications']>; reminders: Insertable<Database['reminders']>[] } {
  const channel = input.channels.join(',');
  return {
    communication: {
      company_id: companyId,
      id,
      run_id: input.runId,
      customer_id: input.customerId,
      currency: input.currency,
      level: input.level,
      label: input.label,
      channels: channel,
      created_at: now,
      cancelled_at: null,
      cancel_reason: null,
    },
    reminders: input.invoices.map((i) => ({
      company_id: companyId,
      id: newId(),
      invoice_id: i.invoiceId,
      level: i.level,
      sent_on: input.date,
      channel,
      run_id: input.runId,
      communication_id: id,
      created_at: now,
      state: input.state ?? 'pending',
      balance: balanceOf(i.invoiceId),
    })),
  };
}

/**
 * Records one communication and the reminder of each of its invoices, all or nothing.
 * - `raced`: another run already recorded one of those invoice levels; it owns that reminder.
 * - `stale`: an invoice was paid, disputed, held or changed since the plan read it; nothing is recorded
 *   and the next run decides again. The invoices are re-read inside the transaction (locked on
 *   PostgreSQL; SQLite transactions hold the write lock from BEGIN), so a payment cannot slip between.
 */
export async function recordCommunication(
  db: Db,
  companyId: string,
  input: CommunicationInput,
): Promise<RecordOutcome> {
  try {
    return await inTransaction(db, async (trx) => {
      const guarded = input.invoices.filter((i) => i.updatedAt !== undefined);
      // Each invoice's balance as recorded: the send-time check cancels the message only if it changes.
      const balances = new Map<string, number>();
      if (input.invoices.length > 0) {
        let check = trx
          .selectFrom('invoices')
          .select(['id', 'updated_at', 'total', 'allocated'])
          .where('company_id', '=', companyId)
          .where(
            'id',
            'in',
            input.invoices.map((i) => i.invoiceId),
          )
          .where(isOpenInvoice())
          .where('disputed', '=', 0);
        if (isPostgres(trx) && guarded.length > 0) check = check.forUpdate();
        const rows = await check.execute();
        const current = new Map(rows.map((r) => [r.id, r.updated_at]));
        for (const r of rows) balances.set(r.id, r.total - r.allocated);
        if (guarded.some((i) => current.get(i.invoiceId) !== i.updatedAt)) throw new Stale();
      }
      const id = newId();
      const rows = communicationRows(companyId, id, input, nowIso(), (invoiceId) => balances.get(invoiceId) ?? null);
      await trx.insertInto('communications').values(rows.communication).execute();
      // A communication without invoices at a level (a "Standard" first sending) records no reminder.
      if (rows.reminders.length > 0) await trx.insertInto('reminders').values(rows.reminders).execute();
      if (input.emails?.length)
        await enqueueMessages(
          trx,
          companyId,
          input.emails.map((e) => ({ ...e, communicationId: id })),
        );
      // The invoices' next step and "Relances" category changed with this reminder: stored as the run worked them
      // out, else computed again when next needed.
      await storeOrClearNextActions(trx, companyId, input.invoices);
      await announceRecorded(trx, companyId, id, input);
      return { status: 'recorded' as const, id };
    });
  } catch (error) {
    if (error instanceof Stale) return { status: 'stale' };
    if (isUniqueViolation(error)) return { status: 'raced' };
    throw error;
  }
}

export type ReminderHistoryItem = {
  invoice: string;
  customer: string;
  level: number;
  sentOn: IsoDate;
  channel: string;
  runId: string | null;
  /** The communication (e-mail and/or letter) that carried it: its letter can be printed again. */
  communicationId: string | null;
};

/** "Relances envoyées": each reminder that left, with its invoice and level, by invoice then level. */
export async function listReminders(
  db: Db,
  companyId: string,
  filter: { invoiceNumber?: string; customerCode?: string } = {},
): Promise<ReminderHistoryItem[]> {
  let query = db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select(['i.number', 'c.code', 'r.level', 'r.sent_on', 'r.channel', 'r.run_id', 'r.communication_id'])
    .where('r.company_id', '=', companyId)
    .where('r.state', '=', 'sent')
    .orderBy('i.number')
    .orderBy('r.level');
  if (filter.invoiceNumber) query = query.where('i.number', '=', filter.invoiceNumber);
  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  const rows = await query.execute();
  return rows.map((r) => ({
    invoice: r.number,
    customer: r.code,
    level: r.level,
    sentOn: r.sent_on,
    channel: r.channel,
    runId: r.run_id,
    communicationId: r.communication_id,
  }));
}

/** The reminder.sent event of a communication just recorded, one by one or in a batch. */
export async function announceRecorded(
  db: Db,
  companyId: string,
  id: string,
  input: CommunicationInput,
): Promise<void> {
  await announceCommunication(db, companyId, {
    id,
    customerId: input.customerId,
    runId: input.runId,
    level: input.level,
    label: input.label,
    channels: input.channels,
    currency: input.currency,
    sentOn: input.date,
    invoiceIds: input.invoices.map((i) => i.invoiceId),
  });
}

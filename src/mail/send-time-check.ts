import { sql } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import type { Language } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { recordAudit } from '../storage/audit.ts';
import { enqueueEvent } from '../storage/webhooks.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { clearNextActions } from '../storage/next-actions.ts';
import { errorColumns, type OutboxMessage } from '../storage/outbox.ts';
import { sendCheckRows, type SendCheckRow } from '../storage/outbox-claim.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { ReminderState } from '../storage/schema.ts';

/**
 * The send-time check: just before a reminder e-mail is handed to SMTP (and before a run's letters are
 * printed), its invoices are read again. A message is only right if every invoice it demands is still
 * owed and remindable at that moment; otherwise it is cancelled, never sent.
 *
 * - settled: paid or credited to zero (or cancelled) since it was queued;
 * - disputed, blocked, paused, promised: the customer or invoice is on hold today;
 * - changed: the balance it demands moved since (a partial payment, a new amount): the amounts in the
 *   message would be wrong, so it is cancelled rather than patched, and the next run plans it again from
 *   today's data with the right amounts. Any other change (a new contact, a note, a due date moved) leaves
 *   the message as it is: only what decides whether and how much is owed cancels it.
 * Cancelling marks the communication's pending reminders `cancelled`, so the level is not counted: a reminder
 * counts as sent only once its message left.
 */
export type CancelReason = 'settled' | 'disputed' | 'blocked' | 'paused' | 'promised' | 'changed';
export type Verdict = { reason: CancelReason; invoice: string } | null;

/** Why the message was stopped, in the company's language: the same catalogue text the outbox shows by its code. */
export function cancelText(language: Language, verdict: NonNullable<Verdict>): string {
  return translator(language)(`outbox.errors.cancelled.${verdict.reason}`, { invoice: verdict.invoice });
}

/** Whether the messages of this communication may still go out today; null: they may. */
export async function checkCommunication(
  db: Db,
  companyId: string,
  communicationId: string,
  today: IsoDate,
): Promise<Verdict> {
  return verdictOf(await sendCheckRows(db, companyId, [communicationId]), today);
}

/**
 * The verdict on a communication's rows as read just before sending (by `checkCommunication`, or with the claim of
 * the messages that carry it).
 */
export function verdictOf(rows: SendCheckRow[], today: IsoDate): Verdict {
  if (rows.length === 0) return null;
  // A "Standard" first sending (level 0) demands nothing overdue and records no reminder: nothing to re-check.
  if (rows[0]!.communication_level === 0 && rows[0]!.cancelled === 0) return null;
  for (const row of rows) {
    const invoice = row.number ?? '?';
    if (row.cancelled !== 0 || row.number === null) return { reason: 'changed', invoice };
    if (row.status !== 'issued' || row.allocated! >= row.total!) return { reason: 'settled', invoice };
    if (row.disputed === 1) return { reason: 'disputed', invoice };
    if (row.dunning_blocked_reason !== null) return { reason: 'blocked', invoice };
    if (row.dunning_paused_until !== null && row.dunning_paused_until >= today) return { reason: 'paused', invoice };
    if (row.promise_to_pay_date !== null && row.promise_to_pay_date >= today) return { reason: 'promised', invoice };
  }
  for (const row of rows) {
    // Reminders recorded before balances were kept fall back on any change of the invoice.
    const changed = row.balance !== null ? row.total! - row.allocated! !== row.balance : row.updated_after === 1;
    if (changed) return { reason: 'changed', invoice: row.number! };
  }
  return null;
}

/**
 * Cancels a message claimed for sending and its communication, in one transaction with its audit row:
 * the outbox row becomes `cancelled` with the reason in the company's language, its key and Message-ID
 * are freed (a later reminder of the same invoices and level is a new message), the communication keeps
 * its reason, and its reminders are removed so the level is sent again when it is due again.
 */
export async function cancelAtSendTime(
  db: Db,
  companyId: string,
  message: Pick<OutboxMessage, 'id' | 'communicationId'>,
  verdict: NonNullable<Verdict>,
  language: Language,
): Promise<void> {
  const text = cancelText(language, verdict);
  await inTransaction(db, async (trx) => {
    const now = nowIso();
    const updated = await trx
      .updateTable('outbox')
      .set({
        status: 'cancelled',
        last_error: text,
        ...errorColumns(`cancelled.${verdict.reason}`, { invoice: verdict.invoice }),
        lease_until: null,
        updated_at: now,
        idempotency_key: sql<string>`idempotency_key || ${`#cancelled:${message.id}`}`,
        message_id: `<cancelled.${message.id}@relance.local>`,
      })
      .where('company_id', '=', companyId)
      .where('id', '=', message.id)
      .where('status', 'in', ['sending', 'queued'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0 || message.communicationId === null) return;
    await cancelCommunicationRecords(trx, companyId, message.communicationId, verdict.reason, now);
    await recordAudit(trx, companyId, {
      userId: null,
      actor: 'dispatcher',
      action: 'message.cancelled',
      target: message.id,
      details: { communicationId: message.communicationId, reason: verdict.reason, invoice: verdict.invoice },
    });
    await enqueueEvent(trx, companyId, 'message.cancelled', {
      outboxId: message.id,
      communicationId: message.communicationId,
      reason: verdict.reason,
      invoice: verdict.invoice,
      text,
    });
  });
}

/** A communication found wrong before its letter is printed: cancelled with its reason and audit row, its queued e-mail too. */
export async function cancelCommunication(
  db: Db,
  companyId: string,
  communicationId: string,
  verdict: NonNullable<Verdict>,
  language: Language,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const now = nowIso();
    await cancelCommunicationRecords(
      trx,
      companyId,
      communicationId,
      verdict.reason,
      now,
      cancelText(language, verdict),
      { invoice: verdict.invoice },
    );
    await recordAudit(trx, companyId, {
      userId: null,
      actor: 'letters',
      action: 'communication.cancelled',
      target: communicationId,
      details: { reason: verdict.reason, invoice: verdict.invoice },
    });
    await enqueueEvent(trx, companyId, 'message.cancelled', {
      outboxId: null,
      communicationId,
      reason: verdict.reason,
      invoice: verdict.invoice,
      text: cancelText(language, verdict),
    });
  });
}

/** The communication marked cancelled, its reminders removed and its invoices left to be planned again. */
export async function cancelCommunicationRecords(
  trx: Db,
  companyId: string,
  communicationId: string,
  reason: string,
  now: string,
  text?: string,
  /** A bounce also takes back a reminder counted as sent (its e-mail never arrived); a cancellation only a pending one. */
  options: { bounced?: boolean; invoice?: string } = {},
): Promise<void> {
  const states: ReminderState[] = options.bounced ? ['pending', 'sent'] : ['pending'];
  const invoiceNumber = options.invoice;
  const invoiceIds = (
    await trx
      .selectFrom('reminders')
      .select('invoice_id')
      .where('company_id', '=', companyId)
      .where('communication_id', '=', communicationId)
      .where('state', 'in', states)
      .execute()
  ).map((r) => r.invoice_id);
  await trx
    .updateTable('communications')
    .set({ cancelled_at: now, cancel_reason: reason })
    .where('company_id', '=', companyId)
    .where('id', '=', communicationId)
    .execute();
  // Kept as `cancelled` (the record of what was stopped), no longer counted: the level can be recorded again.
  // A later level already recorded for an invoice (a letter printed at a later run while this e-mail waited) keeps
  // this one: cancelling it would leave that invoice at a level whose earlier step is missing from its history.
  await trx
    .updateTable('reminders')
    .set({ state: 'cancelled' })
    .where('company_id', '=', companyId)
    .where('communication_id', '=', communicationId)
    .where('state', 'in', states)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('reminders as later')
            .select('later.invoice_id')
            .where('later.company_id', '=', companyId)
            .whereRef('later.invoice_id', '=', 'reminders.invoice_id')
            .whereRef('later.level', '>', 'reminders.level')
            .where('later.state', '<>', 'cancelled'),
        ),
      ),
    )
    .execute();
  // Any other queued message of the communication (none today: one e-mail per communication) goes with it.
  await trx
    .updateTable('outbox')
    .set({
      status: 'cancelled',
      updated_at: now,
      ...(text ? { last_error: text } : {}),
      ...errorColumns(`cancelled.${reason}`, invoiceNumber ? { invoice: invoiceNumber } : {}),
      idempotency_key: sql<string>`idempotency_key || '#cancelled:' || id`,
      message_id: sql<string>`'<cancelled.' || id || '@relance.local>'`,
    })
    .where('company_id', '=', companyId)
    .where('communication_id', '=', communicationId)
    .where('status', '=', 'queued')
    .execute();
  await clearNextActions(trx, companyId, invoiceIds);
}

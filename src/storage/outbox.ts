import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';
import { insertRecords } from './bulk.ts';
import type { OutboxRow, OutboxStatus, OutboxTable } from './schema.ts';

/**
 * The outbox: every e-mail relance sends is a row here first. Status moves
 * queued → sending → sent | failed | bounced (and sending → queued on a transient failure).
 *
 * What is stored: the rendered subject, bodies and recipients, so a retry sends exactly what was
 * decided at enqueue time even if a template or a contact changes meanwhile. Attachments are stored
 * as references (see src/mail/attachments.ts) and rebuilt at dispatch: a 30 KB PDF per reminder would
 * make the outbox the biggest table by far, and what they are built from does not change.
 */
export type OutboxKind = OutboxTable['kind'];

export type OutboxInput = {
  kind: OutboxKind;
  /** Unique per company: for a reminder, its invoice set and level (`reminderKey`). */
  idempotencyKey: string;
  communicationId?: string | null;
  customerId?: string | null;
  /** Null: the sender configured at dispatch time. */
  from?: string | null;
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  attachments?: unknown[];
  /** Domain of the Message-ID (the sender's domain when known). */
  messageIdDomain?: string;
};

export type OutboxMessage = {
  id: string;
  kind: OutboxKind;
  status: OutboxStatus;
  idempotencyKey: string;
  messageId: string;
  communicationId: string | null;
  customerId: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  attachments: unknown[];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** Why it is not sent, as a catalogue code (`outbox.errors.*`) and its params: said in the reader's language. */
  error: OutboxError | null;
  smtpResponse: string | null;
  emlPath: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type OutboxError = { code: string; params: Record<string, string | number> };

/** The columns of an outbox error: `outbox.errors.<code>` and its params as JSON. */
export function errorColumns(
  code: string | null,
  params: Record<string, string | number> = {},
): { error_code: string | null; error_params: string | null } {
  return code === null
    ? { error_code: null, error_params: null }
    : { error_code: `outbox.errors.${code}`, error_params: JSON.stringify(params) };
}

export function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    messageId: row.message_id,
    communicationId: row.communication_id,
    customerId: row.customer_id,
    from: row.from_address,
    to: JSON.parse(row.to_addresses),
    cc: JSON.parse(row.cc_addresses),
    bcc: JSON.parse(row.bcc_addresses),
    replyTo: row.reply_to,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    attachments: JSON.parse(row.attachments),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    error: row.error_code
      ? { code: row.error_code, params: row.error_params ? JSON.parse(row.error_params) : {} }
      : null,
    smtpResponse: row.smtp_response,
    emlPath: row.eml_path,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The idempotency key of a reminder: the same invoices at the same level are one message, ever. */
export function reminderKey(invoiceIds: string[], level: number): string {
  const digest = createHash('sha256')
    .update([...invoiceIds].sort().join(','))
    .digest('hex')
    .slice(0, 40);
  return `reminder:${level}:${digest}`;
}

/**
 * The Message-ID follows from the company and the key alone, so a message re-sent after a crash or a
 * transient failure carries the same Message-ID as the first attempt (receivers and our bounce
 * handling recognise it). The company id in it lets a bounce find its row through the company-first key.
 */
export function messageIdFor(companyId: string, idempotencyKey: string, domain = 'relance.local'): string {
  const digest = createHash('sha256').update(`${companyId}\n${idempotencyKey}`).digest('hex').slice(0, 32);
  return `<${digest}.${companyId}@${domain}>`;
}

/** The company a Message-ID of ours belongs to, or null for someone else's. */
export function companyOfMessageId(messageId: string): string | null {
  const match = /^<?[0-9a-f]{32}\.([0-9a-f-]{36})@[^>]+>?$/i.exec(messageId.trim());
  return match ? match[1]!.toLowerCase() : null;
}

function toRow(companyId: string, input: OutboxInput, now: string): OutboxTable {
  if (input.to.length === 0)
    throw new AppError('invalid_input', 'An e-mail needs at least one recipient (to).', [], {
      key: 'problem.mail.noRecipient',
    });
  return {
    company_id: companyId,
    id: newId(),
    idempotency_key: input.idempotencyKey,
    kind: input.kind,
    communication_id: input.communicationId ?? null,
    customer_id: input.customerId ?? null,
    status: 'queued',
    message_id: messageIdFor(companyId, input.idempotencyKey, input.messageIdDomain),
    from_address: input.from ?? null,
    to_addresses: JSON.stringify(input.to),
    cc_addresses: JSON.stringify(input.cc ?? []),
    bcc_addresses: JSON.stringify(input.bcc ?? []),
    reply_to: input.replyTo ?? null,
    subject: input.subject,
    text_body: input.text,
    html_body: input.html ?? null,
    attachments: JSON.stringify(input.attachments ?? []),
    attempts: 0,
    next_attempt_at: now,
    lease_until: null,
    last_error: null,
    error_code: null,
    error_params: null,
    smtp_response: null,
    eml_path: null,
    sent_at: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Queues messages; run it inside the caller's transaction (the one recording the reminders). A key
 * already queued is a unique violation, which rolls that transaction back: one key, one message.
 */
export async function enqueueMessages(db: Db, companyId: string, inputs: OutboxInput[]): Promise<OutboxMessage[]> {
  const rows = await insertMessages(db, companyId, inputs);
  return rows.map((row) => toOutboxMessage(row as OutboxRow));
}

/**
 * Queues messages as enqueueMessages does, returning nothing: a run queues hundreds at once, and reading each row
 * back (its attachments' JSON parsed again) cost more than writing it.
 */
export async function queueMessages(db: Db, companyId: string, inputs: OutboxInput[]): Promise<void> {
  await insertMessages(db, companyId, inputs);
}

async function insertMessages(db: Db, companyId: string, inputs: OutboxInput[]): Promise<OutboxTable[]> {
  if (inputs.length === 0) return [];
  const now = nowIso();
  const rows = inputs.map((input) => toRow(companyId, input, now));
  // SQLite: one prepared statement run per row; PostgreSQL: one COPY in the caller's transaction. A run queues
  // hundreds of rows of several KB, which Kysely took longer to turn into one statement than either engine to
  // insert (on PostgreSQL, 500 rows of 27 bound parameters each: most of a daily run's client and server time).
  await insertRecords(db, 'outbox', rows);
  return rows;
}

// Claiming messages and writing their `sent` marks: outbox-claim.ts.

/** Only a message still `sending` moves on, so a late failure cannot overwrite what recovery decided. */
export async function markRetry(
  db: Db,
  companyId: string,
  id: string,
  outcome: { error: string; code?: OutboxError; nextAttemptAt: string; countAttempt?: boolean },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'queued',
      last_error: outcome.error,
      ...errorColumns(outcome.code?.code ?? null, outcome.code?.params),
      next_attempt_at: outcome.nextAttemptAt,
      lease_until: null,
      updated_at: nowIso(),
      ...(outcome.countAttempt === false ? { attempts: eb('attempts', '-', 1) } : {}),
    }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

export async function markFailed(
  db: Db,
  companyId: string,
  id: string,
  error: string,
  code?: OutboxError,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'failed',
      last_error: error,
      ...errorColumns(code?.code ?? null, code?.params),
      lease_until: null,
      updated_at: nowIso(),
    })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

export const INTERRUPTED =
  'interrupted while being sent: the SMTP server may or may not have received it, so it is not ' +
  'sent again automatically (relance outbox retry ID sends it again)';

/**
 * Messages a dead dispatcher left in `sending` (its lease ran out). Whether the SMTP server accepted one
 * is unknown, so re-sending could deliver it twice: they become `failed` with that explanation, visible
 * in `relance outbox`, and a person decides.
 */
export async function recoverInterrupted(db: Db, companyId: string, now: string): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: 'failed',
      last_error: INTERRUPTED,
      ...errorColumns('interrupted'),
      lease_until: null,
      updated_at: now,
    })
    .where('company_id', '=', companyId)
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Puts failed messages back in the queue (a person's decision after checking them). */
export async function requeueMessages(db: Db, companyId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const now = nowIso();
  const result = await db
    .updateTable('outbox')
    .set({ status: 'queued', next_attempt_at: now, updated_at: now })
    .where('company_id', '=', companyId)
    .where('id', 'in', ids)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Queued messages with no .eml written yet (no SMTP server configured). */
export async function listUnwrittenQueued(db: Db, companyId: string, limit: number): Promise<OutboxMessage[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('status', '=', 'queued')
    .where('eml_path', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toOutboxMessage);
}

export async function markWritten(
  db: Db,
  companyId: string,
  id: string,
  path: string,
  note: string,
  code: OutboxError = { code: 'noSmtp', params: {} },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ eml_path: path, last_error: note, ...errorColumns(code.code, code.params), updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function markBounced(
  db: Db,
  companyId: string,
  messageId: string,
  reason: string,
  error: OutboxError = { code: 'bounced', params: { reason: reason.replace(/^bounced: /, '') } },
): Promise<OutboxMessage | null> {
  const now = nowIso();
  const row = await db
    .updateTable('outbox')
    .set({
      status: 'bounced',
      last_error: reason,
      ...errorColumns(error.code, error.params),
      updated_at: now,
    })
    .where('company_id', '=', companyId)
    .where('message_id', '=', messageId)
    .returningAll()
    .executeTakeFirst();
  return row ? toOutboxMessage(row) : null;
}

export type OutboxFilter = { status?: OutboxStatus; communicationId?: string; limit?: number };

export async function listOutbox(db: Db, companyId: string, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  let query = db
    .selectFrom('outbox')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 1000);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.communicationId) query = query.where('communication_id', '=', filter.communicationId);
  return (await query.execute()).map(toOutboxMessage);
}

/** Messages per status; with a sales rep, only those of that représentant's customers (as `listOutboxPage`). */
export async function countOutbox(
  db: Db,
  companyId: string,
  customerSalesRep?: string,
): Promise<Record<OutboxStatus, number>> {
  let query = db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', companyId)
    .groupBy('status');
  if (customerSalesRep !== undefined) {
    query = query.where('customer_id', 'in', (eb) =>
      eb
        .selectFrom('customers')
        .select('id')
        .where('company_id', '=', companyId)
        .where('sales_rep', '=', customerSalesRep),
    );
  }
  const rows = await query.execute();
  const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

export type OutboxPageFilter = {
  status?: OutboxStatus;
  customerSalesRep?: string;
  /** The last row of the previous page (newest first). */
  before?: { createdAt: string; id: string };
  limit: number;
};

/**
 * One keyset page of the outbox, newest first. A caller restricted to a sales rep sees only the
 * messages of that représentant's customers (not tests or simulations, which have no customer).
 */
export async function listOutboxPage(db: Db, companyId: string, filter: OutboxPageFilter): Promise<OutboxMessage[]> {
  let query = db
    .selectFrom('outbox as o')
    .selectAll('o')
    .where('o.company_id', '=', companyId)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.before) {
    const { createdAt, id } = filter.before;
    query = query.where((eb) =>
      eb.or([eb('o.created_at', '<', createdAt), eb.and([eb('o.created_at', '=', createdAt), eb('o.id', '<', id)])]),
    );
  }
  if (filter.customerSalesRep) {
    const rep = filter.customerSalesRep;
    query = query.where('o.customer_id', 'in', (eb) =>
      eb.selectFrom('customers').select('id').where('company_id', '=', companyId).where('sales_rep', '=', rep),
    );
  }
  return (await query.execute()).map(toOutboxMessage);
}

export async function getOutboxMessage(db: Db, companyId: string, id: string): Promise<OutboxMessage> {
  const row = /^[0-9a-f-]{36}$/i.test(id)
    ? await db
        .selectFrom('outbox')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('not_found', `No message with id ${id}.`, [], {
      key: 'problem.notFound.message',
      params: { id },
    });
  return toOutboxMessage(row);
}

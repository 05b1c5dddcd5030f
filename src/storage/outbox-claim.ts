import { sql, type RawBuilder } from 'kysely';
import { isId } from '../shared/ids.ts';
import type { Db } from './database.ts';
import { inIds } from './in-list.ts';
import { isPostgres } from './migrations/column-types.ts';
import { toOutboxMessage, type OutboxMessage } from './outbox.ts';
import { PREPARED } from './pg-prepared.ts';
import { markRemindersSent } from './reminder-states.ts';
import type { OutboxRow } from './schema.ts';
import { inTransaction } from './transactions.ts';

/**
 * A message the SMTP server accepted. `reminders`, for a reminder or manual e-mail: its communication, whose
 * reminders become `sent` with the message's own mark.
 */
export type SentMark = {
  id: string;
  response: string;
  note?: string | null;
  reminders?: { communicationId: string } | null;
};

/**
 * What the send-time check reads of one reminder of a communication (one row with null invoice fields when it has
 * none left). `updatedAfter` (1/0) is worked out by the database, so both engines compare their own timestamps.
 */
export type SendCheckRow = {
  communication_id: string;
  cancelled: number;
  communication_level: number;
  number: string | null;
  status: string | null;
  total: number | null;
  allocated: number | null;
  disputed: number | null;
  promise_to_pay_date: string | null;
  balance: number | null;
  dunning_blocked_reason: string | null;
  dunning_paused_until: string | null;
  updated_after: number | null;
};

/** A claimed message with what its sending needs: the send-time check's rows and its stored invoice PDFs. */
export type ClaimedMessage = {
  message: OutboxMessage;
  /** Null for a message that carries no reminder (nothing to check). */
  checks: SendCheckRow[] | null;
  /** Stored PDFs of the invoices its attachments name, by invoice id (missing: none stored, built at dispatch). */
  invoiceFiles: Map<string, Buffer>;
};

const CHECK_COLUMNS = sql`m.id as communication_id, case when m.cancelled_at is null then 0 else 1 end as cancelled,
  m.level as communication_level, i.number, i.status, i.total, i.allocated, i.disputed, i.promise_to_pay_date,
  r.balance, c.dunning_blocked_reason, c.dunning_paused_until,
  case when i.id is null then null when i.updated_at > m.created_at then 1 else 0 end as updated_after`;

const CHECK_FROM = sql`communications m
  left join reminders r on r.company_id = m.company_id and r.communication_id = m.id and r.state <> 'cancelled'
  left join invoices i on i.company_id = r.company_id and i.id = r.invoice_id
  join customers c on c.company_id = m.company_id and c.id = m.customer_id`;

/** The send-time check's rows of these communications, read together. */
export async function sendCheckRows(db: Db, companyId: string, communicationIds: string[]): Promise<SendCheckRow[]> {
  if (communicationIds.length === 0) return [];
  const result = await sql<SendCheckRow>`select ${CHECK_COLUMNS} from ${CHECK_FROM}
    where m.company_id = ${companyId} and ${inIds(db, 'm.id', communicationIds)}`.execute(db);
  return result.rows;
}

/** Whether the message's communication has reminders the send-time check must read again. */
function carriesReminders(message: Pick<OutboxMessage, 'communicationId' | 'kind'>): boolean {
  return message.communicationId !== null && (message.kind === 'reminder' || message.kind === 'manual');
}

function invoiceIdsOf(attachments: unknown[]): string[] {
  const ids: string[] = [];
  for (const ref of attachments) {
    const r = ref as { kind?: unknown; invoiceId?: unknown } | null;
    if (r?.kind === 'invoice' && typeof r.invoiceId === 'string' && isId(r.invoiceId)) ids.push(r.invoiceId);
  }
  return ids;
}

/**
 * Writes the `sent` marks of the messages accepted since the last claim, then claims up to `limit` due messages
 * (status `sending`, one more attempt, a lease), with the send-time check's rows and the stored invoice PDFs of
 * each: on PostgreSQL in one statement (one round trip per batch), on SQLite in one transaction (one commit).
 *
 * Why a crash still sends nothing twice: the marks are written before anything else is claimed, so before
 * anything else is sent; a message the server accepted whose mark was not yet written stays `sending` and is
 * shown as interrupted when its lease runs out, never sent again. The dispatcher claims only as many messages as
 * it has free connections, so what a crash can leave in doubt (in flight, or accepted and not yet marked) is at
 * most one message per connection, as when each message had its own statements.
 */
export async function claimMessages(
  db: Db,
  companyId: string,
  options: { now: string; leaseUntil: string; limit: number; sent: SentMark[] },
): Promise<ClaimedMessage[]> {
  if (options.limit <= 0 && options.sent.length === 0) return [];
  return isPostgres(db) ? claimOnPostgres(db, companyId, options) : claimOnSqlite(db, companyId, options);
}

const marksJson = (sent: SentMark[]) =>
  JSON.stringify(
    sent.map((s) => ({
      id: s.id,
      response: s.response,
      note: s.note ?? null,
      reminders: s.reminders?.communicationId ?? null,
    })),
  );

/** A claimed row with its send-time check's rows and one of its stored invoice PDFs (null: none stored). */
type PgClaimRow = OutboxRow & { checks: SendCheckRow[] | null; file_invoice_id: string | null; file: Buffer | null };

async function claimOnPostgres(
  db: Db,
  companyId: string,
  options: { now: string; leaseUntil: string; limit: number; sent: SentMark[] },
): Promise<ClaimedMessage[]> {
  const { now, leaseUntil, limit, sent } = options;
  const marks: RawBuilder<unknown> =
    sent.length === 0
      ? sql``
      : sql`marks as (select * from json_to_recordset(${marksJson(sent)}::json)
        as s(id uuid, response text, note text, reminders uuid)),
    done as (update outbox o set status = 'sent', sent_at = ${now}, updated_at = ${now}, lease_until = null,
        smtp_response = s.response, last_error = s.note, error_code = null, error_params = null
      from marks s where o.company_id = ${companyId} and o.id = any(array(select id from marks)) and o.id = s.id
        and (o.status in ('sending', 'failed')) is true
      returning s.reminders),
    counted as (update reminders set state = 'sent'
      where company_id = ${companyId} and state = 'pending'
        and communication_id = any(array(select reminders from done where reminders is not null))
      returning invoice_id),
    replanned as (update invoices set next_action_date = null, dunning_category = null, category_until = null
      where company_id = ${companyId} and id = any(array(select invoice_id from counted))
        and (next_action_date is not null or dunning_category is not null or category_until is not null)), `;
  // The marked messages are found by primary key from an array of their ids; `is true` keeps the status test out of
  // the status index, which the planner, its statistics counting few messages in `sending`, otherwise walked
  // through every dead entry the claims of the day had left there (18 % of the backend's CPU of a dispatch).
  // The reminders and invoices are found from arrays (`= any(array(…))`), which their indexes answer: as `in (select
  // …)` the planner, counting on a hundred marks, read every reminder of the company and hashed them at each claim
  // (3.2 of the 3.3 ms of server CPU that marking three messages cost, and growing with the company's reminders).
  // A named prepared statement (pg-prepared.ts): its texts (with marks or without, for each limit) are planned once
  // per connection instead of at every claim, which cost more server CPU than running it (3.4 of 5.8 ms a claim of
  // three). The limit is written in the text, as the invoice list's page size: as a parameter, the plan without its
  // values was priced for a tenth of the queue (724 against 609 with the values), so once the tables had statistics
  // PostgreSQL never kept it and planned every claim again (36 % of the backend's CPU in a dispatch, perf).
  // The ids to claim are picked once (an array, not an IN that the planner may run again for each row, taking more
  // than the limit), then updated by primary key: the sub-select locked them and checked under the lock that they are
  // still queued, so the update needs no status test of its own (one would let the planner walk every queued row of
  // the company through the status index, as it does when a run has just queued thousands). The attachments' invoice
  // ids are read from the row's JSON; only well-formed ids are cast, so a bad reference fails its own message at
  // dispatch (as an unreadable reference) rather than the whole claim. Each stored PDF comes as a row of its own
  // (bytea, hex on the wire, decoded natively by Buffer): base64 inside a JSON object cost the server more than
  // the rest of the claim (encoding, then escaping every character of the JSON text).
  const result = await sql<PgClaimRow>`with ${sql.raw(PREPARED)}${marks}claimed as (update outbox
      set status = 'sending', attempts = attempts + 1, lease_until = ${leaseUntil}, updated_at = ${now}
      where company_id = ${companyId} and id = any(array(select id from outbox
        where company_id = ${companyId} and status = 'queued' and next_attempt_at <= ${now}
        order by next_attempt_at limit ${sql.lit(Math.max(0, Math.floor(limit)))} for update skip locked))
      returning *)
    select claimed.*,
      case when claimed.communication_id is not null and claimed.kind in ('reminder', 'manual') then
        (select json_agg(x) from (select ${CHECK_COLUMNS} from ${CHECK_FROM}
          where m.company_id = claimed.company_id and m.id = claimed.communication_id) x) end as checks,
      f.invoice_id as file_invoice_id, f.content as file
    from claimed left join lateral (select f.invoice_id, f.content from invoice_files f
        where f.company_id = claimed.company_id and f.invoice_id in (
          select (a ->> 'invoiceId')::uuid from json_array_elements(claimed.attachments::json) a
          where a ->> 'kind' = 'invoice'
            and a ->> 'invoiceId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')) f on true
    order by claimed.next_attempt_at, claimed.id`.execute(db);
  const claimed: ClaimedMessage[] = [];
  for (const { checks, file_invoice_id: invoiceId, file, ...row } of result.rows) {
    let last = claimed.at(-1);
    if (last?.message.id !== row.id) {
      const message = toOutboxMessage(row as OutboxRow);
      last = { message, checks: carriesReminders(message) ? (checks ?? []) : null, invoiceFiles: new Map() };
      claimed.push(last);
    }
    if (invoiceId !== null && file !== null) last.invoiceFiles.set(invoiceId, file);
  }
  return claimed;
}

async function claimOnSqlite(
  db: Db,
  companyId: string,
  options: { now: string; leaseUntil: string; limit: number; sent: SentMark[] },
): Promise<ClaimedMessage[]> {
  const { now, leaseUntil, limit, sent } = options;
  return inTransaction(db, async (trx) => {
    if (sent.length > 0) {
      const json = marksJson(sent);
      const mark = (field: string) =>
        sql`(select json_extract(s.value, ${`$.${field}`}) from json_each(${json}) s
          where json_extract(s.value, '$.id') = outbox.id)`;
      const marked = await sql<{ id: string }>`update outbox set status = 'sent', sent_at = ${now},
          updated_at = ${now}, lease_until = null, smtp_response = ${mark('response')}, last_error = ${mark('note')},
          error_code = null, error_params = null
        where company_id = ${companyId} and +status in ('sending', 'failed')
          and id in (select json_extract(value, '$.id') from json_each(${json}))
        returning id`.execute(trx);
      // The reminders of the accepted messages count from now on, in the same transaction as their marks.
      const done = new Set(marked.rows.map((r) => r.id));
      const communications = sent.filter((s) => s.reminders && done.has(s.id)).map((s) => s.reminders!.communicationId);
      await markRemindersSent(trx, companyId, communications);
    }
    if (limit <= 0) return [];
    // `+status`: the rows are found by primary key from the ids named, not by scanning every queued (or every
    // failed) message of the company through the status index, which SQLite's planner would otherwise pick.
    const claimed = await sql<OutboxRow>`update outbox set status = 'sending', attempts = attempts + 1,
        lease_until = ${leaseUntil}, updated_at = ${now}
      where company_id = ${companyId} and +status = 'queued' and id in (select id from outbox
        where company_id = ${companyId} and status = 'queued' and next_attempt_at <= ${now}
        order by next_attempt_at limit ${limit})
      returning *`.execute(trx);
    if (claimed.rows.length === 0) return [];
    const messages = claimed.rows
      .map(toOutboxMessage)
      .sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0));
    const checked = messages.filter(carriesReminders).map((m) => m.communicationId!);
    const checks = new Map<string, SendCheckRow[]>(checked.map((id) => [id, []]));
    for (const row of await sendCheckRows(trx, companyId, checked)) checks.get(row.communication_id)!.push(row);
    const invoiceIds = [...new Set(messages.flatMap((m) => invoiceIdsOf(m.attachments)))];
    const files = new Map<string, Buffer>();
    if (invoiceIds.length > 0) {
      const stored = await sql<{ invoice_id: string; content: Buffer | Uint8Array }>`select invoice_id, content
        from invoice_files where company_id = ${companyId} and ${inIds(trx, 'invoice_id', invoiceIds)}`.execute(trx);
      // better-sqlite3 already returns a Buffer; copying 30 KB per e-mail would be pure waste.
      for (const row of stored.rows)
        files.set(row.invoice_id, Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content));
    }
    return messages.map((message) => ({
      message,
      checks: carriesReminders(message) ? checks.get(message.communicationId!)! : null,
      invoiceFiles: new Map(
        invoiceIdsOf(message.attachments).flatMap((id) => (files.has(id) ? [[id, files.get(id)!]] : [])),
      ),
    }));
  });
}

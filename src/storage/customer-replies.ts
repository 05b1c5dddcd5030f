import { sql } from 'kysely';
import type { AutoReplyReason } from '../domain/auto-reply.ts';
import { dayOfInstantIn } from '../domain/calendar.ts';
import type { Db } from './database.ts';
import type { CustomerReplyRow } from './schema.ts';
import { replanCustomer } from './customers.ts';

/** A customer's answer as the app shows it; its attachments by name, type and size (the bytes on request). */
export type CustomerReply = {
  id: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  inReplyTo: string | null;
  subject: string;
  from: string;
  text: string;
  autoReply: boolean;
  autoReason: AutoReplyReason | null;
  size: number;
  receivedAt: string;
  readAt: string | null;
  readBy: string | null;
  attachments: { position: number; filename: string; contentType: string; size: number }[];
};

export type NewReplyAttachment = { filename: string; contentType: string; content: Buffer };

/** The companies whose reply address is `address` (several only when an installation shares one). */
export async function companiesReplyingAt(db: Db, address: string): Promise<string[]> {
  // A routing question asked before any company is known, like a login by e-mail: mail_settings has a row per company.
  const rows = await db
    .selectFrom('mail_settings')
    .select('company_id')
    .where(sql`lower(reply_address)`, '=', address.toLowerCase())
    .execute();
  return rows.map((r) => r.company_id);
}

export async function insertReply(db: Db, row: CustomerReplyRow, attachments: NewReplyAttachment[]): Promise<void> {
  await db.insertInto('customer_replies').values(row).execute();
  for (const [position, a] of attachments.entries()) {
    await db
      .insertInto('customer_reply_attachments')
      .values({
        company_id: row.company_id,
        reply_id: row.id,
        position,
        filename: a.filename,
        content_type: a.contentType,
        size: a.content.length,
        content: a.content,
      })
      .execute();
  }
}

/** Whether this company already stored the message with this Message-ID (a resent message is kept once). */
export async function hasReply(db: Db, companyId: string, customerId: string, rfcMessageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_replies')
    .select('id')
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('rfc_message_id', '=', rfcMessageId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Keeps `customers.reply_unread_since` true: the day, in the company's time zone, of the oldest real answer still
 * unread, or null. The customer's invoices go back to the planner, whose `reply_unread` hold reads it.
 */
export async function refreshUnreadSince(db: Db, companyId: string, customerId: string): Promise<string | null> {
  const oldest = await db
    .selectFrom('customer_replies')
    .select((eb) => eb.fn.min('received_at').as('at'))
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('read_at', 'is', null)
    .where('auto_reply', '=', 0)
    .executeTakeFirst();
  let since: string | null = null;
  if (oldest?.at) {
    const company = await db
      .selectFrom('companies')
      .select('time_zone')
      .where('id', '=', companyId)
      .executeTakeFirstOrThrow();
    since = dayOfInstantIn(String(oldest.at), company.time_zone);
  }
  await db
    .updateTable('customers')
    .set({ reply_unread_since: since })
    .where('company_id', '=', companyId)
    .where('id', '=', customerId)
    .execute();
  await replanCustomer(db, companyId, customerId);
  return since;
}

type ListFilter = { customerId?: string; unreadOnly?: boolean; salesRep?: string | null; limit: number };

/** Answers, newest first: one customer's, or the company's unread real ones (the dashboard's list). */
export async function listReplies(db: Db, companyId: string, filter: ListFilter): Promise<CustomerReply[]> {
  let query = db
    .selectFrom('customer_replies as r')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'r.company_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .select([
      'r.id',
      'r.customer_id',
      'c.code',
      'c.name',
      'r.in_reply_to',
      'r.subject',
      'r.from_address',
      'r.text_body',
      'r.auto_reply',
      'r.auto_reason',
      'r.size',
      'r.received_at',
      'r.read_at',
      'r.read_by',
    ])
    .where('r.company_id', '=', companyId)
    .orderBy('r.received_at', 'desc')
    .limit(filter.limit);
  if (filter.customerId) query = query.where('r.customer_id', '=', filter.customerId);
  if (filter.unreadOnly) query = query.where('r.read_at', 'is', null).where('r.auto_reply', '=', 0);
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const files = await db
    .selectFrom('customer_reply_attachments')
    .select(['reply_id', 'position', 'filename', 'content_type', 'size'])
    .where('company_id', '=', companyId)
    .where(
      'reply_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    customerCode: r.code,
    customerName: r.name,
    inReplyTo: r.in_reply_to,
    subject: r.subject,
    from: r.from_address,
    text: r.text_body,
    autoReply: r.auto_reply === 1,
    autoReason: r.auto_reason as AutoReplyReason | null,
    size: r.size,
    receivedAt: r.received_at,
    readAt: r.read_at,
    readBy: r.read_by,
    attachments: files
      .filter((f) => f.reply_id === r.id)
      .map((f) => ({ position: f.position, filename: f.filename, contentType: f.content_type, size: f.size })),
  }));
}

/** How many real answers wait to be read (a restricted collector counts its own customers'). */
export async function countUnreadReplies(db: Db, companyId: string, salesRep: string | null): Promise<number> {
  let query = db
    .selectFrom('customer_replies as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.company_id', '=', companyId)
    .where('r.read_at', 'is', null)
    .where('r.auto_reply', '=', 0);
  if (salesRep)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customers as c')
          .select(sql`1`.as('one'))
          .whereRef('c.company_id', '=', 'r.company_id')
          .whereRef('c.id', '=', 'r.customer_id')
          .where('c.sales_rep', '=', salesRep),
      ),
    );
  const row = await query.executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function getReplyRow(db: Db, companyId: string, id: string): Promise<CustomerReplyRow | undefined> {
  return db
    .selectFrom('customer_replies')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setReplyRead(
  db: Db,
  companyId: string,
  id: string,
  read: { at: string; by: string } | null,
): Promise<void> {
  await db
    .updateTable('customer_replies')
    .set({ read_at: read?.at ?? null, read_by: read?.by ?? null })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function getReplyAttachment(
  db: Db,
  companyId: string,
  replyId: string,
  position: number,
): Promise<{ filename: string; contentType: string; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('customer_reply_attachments')
    .select(['filename', 'content_type', 'content'])
    .where('company_id', '=', companyId)
    .where('reply_id', '=', replyId)
    .where('position', '=', position)
    .executeTakeFirst();
  return row ? { filename: row.filename, contentType: row.content_type, content: Buffer.from(row.content) } : undefined;
}

/** Our message a reply answers, by its Message-ID (In-Reply-To / References): its outbox row and customer. */
export async function outboxByMessageId(
  db: Db,
  companyId: string,
  messageId: string,
): Promise<{ id: string; customerId: string | null } | undefined> {
  const row = await db
    .selectFrom('outbox')
    .select(['id', 'customer_id'])
    .where('company_id', '=', companyId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row ? { id: row.id, customerId: row.customer_id } : undefined;
}

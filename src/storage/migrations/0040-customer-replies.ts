import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Answers captured: the e-mails customers send back to a reminder, each with its attachments, and the customer's
 * oldest unread real answer kept on the customer so the dunning planner reads it with the other holds (no extra
 * query per plan). The reply address is a mail setting; its per-message tag routes an answer to its customer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('mail_settings').addColumn('reply_address', 'text').execute();
  await db.schema.alterTable('customers').addColumn('reply_unread_since', t.date).execute();
  await db.schema
    .createTable('customer_replies')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('outbox_id', t.id)
    .addColumn('rfc_message_id', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('auto_reply', 'integer', (c) => c.notNull())
    .addColumn('auto_reason', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .addColumn('read_by', 'text')
    .addPrimaryKeyConstraint('customer_replies_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint('customer_replies_customer_fk', ['company_id', 'customer_id'] as never, 'customers', [
      'company_id',
      'id',
    ] as never)
    .execute();
  await db.schema
    .createIndex('customer_replies_customer_ix')
    .on('customer_replies')
    .columns(['company_id', 'customer_id', 'received_at'])
    .execute();
  await sql`create index customer_replies_unread_ix on customer_replies (company_id, received_at)
    where read_at is null and auto_reply = 0`.execute(db);
  await db.schema
    .createTable('customer_reply_attachments')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('reply_id', t.id, (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', t.blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_reply_attachments_pk', ['company_id', 'reply_id', 'position'] as never)
    .addForeignKeyConstraint(
      'customer_reply_attachments_reply_fk',
      ['company_id', 'reply_id'] as never,
      'customer_replies',
      ['company_id', 'id'] as never,
      (c) => c.onDelete('cascade'),
    )
    .execute();
}

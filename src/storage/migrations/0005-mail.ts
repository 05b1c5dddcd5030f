import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * E-mail delivery: the outbox, each company's mail settings, and the bounce flag of a contact's address.
 *
 * The outbox row is written in the transaction that records the reminder, so a reminder is never
 * recorded without its e-mail nor the reverse. `idempotency_key` (company, invoice set, level for a
 * reminder) is unique, and `message_id` is derived from it: whatever happens, one reminder is one
 * message with one Message-ID.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema.createTable('outbox')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reminder', 'manual', 'test', 'simulation')`))
    .addColumn('communication_id', t.id)
    .addColumn('customer_id', t.id)
    .addColumn('status', 'text', (c) => c.notNull()
      .check(sql`status in ('queued', 'sending', 'sent', 'failed', 'bounced')`))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('cc_addresses', 'text', (c) => c.notNull())
    .addColumn('bcc_addresses', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('lease_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('smtp_response', 'text')
    .addColumn('eml_path', 'text')
    .addColumn('sent_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_pk', ['company_id', 'id'])
    .addUniqueConstraint('outbox_key_uq', ['company_id', 'idempotency_key'])
    .addUniqueConstraint('outbox_message_uq', ['company_id', 'message_id'])
    .addForeignKeyConstraint('outbox_communication_fk', ['company_id', 'communication_id'], 'communications',
      ['company_id', 'id'])
    .execute();
  // What a dispatcher scans: the due messages of one company.
  await db.schema.createIndex('outbox_due_ix').on('outbox').columns(['company_id', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_communication_ix').on('outbox').columns(['company_id', 'communication_id']).execute();

  await db.schema.createTable('mail_settings')
    .addColumn('company_id', t.id, (c) => c.notNull().primaryKey().references('companies.id'))
    .addColumn('smtp_url', 'text')
    .addColumn('from_address', 'text')
    .addColumn('reply_to', 'text')
    .addColumn('cc', 'text')
    .addColumn('bcc', 'text')
    .addColumn('dkim_domain', 'text')
    .addColumn('dkim_selector', 'text')
    .addColumn('dkim_private_key', 'text')
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  // Set by a bounce: the address is skipped from then on, and a customer left without one gets letters.
  await db.schema.alterTable('contacts').addColumn('email_bounced_at', t.timestamp).execute();
  await db.schema.alterTable('contacts').addColumn('email_bounce_reason', 'text').execute();
}

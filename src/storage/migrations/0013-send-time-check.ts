import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from './column-types.ts';

/**
 * The send-time check: a message whose invoices were paid, disputed or held after it was queued is not
 * sent but `cancelled`, with the reason, and its communication is marked cancelled (its reminders are
 * removed, so the level is not counted and the next run decides again). The outbox's status check gains
 * the new value: PostgreSQL alters the constraint; SQLite cannot, so the table is copied into one
 * created with the new check, the recommended way (no other table references the outbox).
 */
const STATUSES = sql`status in ('queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled')`;
const OLD_STATUSES = sql`status in ('queued', 'sending', 'sent', 'failed', 'bounced')`;

async function createOutbox(db: Kysely<unknown>, name: string, statuses: typeof STATUSES): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable(name)
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reminder', 'manual', 'test', 'simulation')`))
    .addColumn('communication_id', t.id)
    .addColumn('customer_id', t.id)
    .addColumn('status', 'text', (c) => c.notNull().check(statuses))
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
    .addPrimaryKeyConstraint(`${name}_pk`, ['company_id', 'id'])
    .addUniqueConstraint(`${name}_key_uq`, ['company_id', 'idempotency_key'])
    .addUniqueConstraint(`${name}_message_uq`, ['company_id', 'message_id'])
    .addForeignKeyConstraint(`${name}_communication_fk`, ['company_id', 'communication_id'], 'communications', ['company_id', 'id'])
    .execute();
}

async function rebuildSqliteOutbox(db: Kysely<unknown>, statuses: typeof STATUSES): Promise<void> {
  await createOutbox(db, 'outbox_next', statuses);
  await sql`insert into outbox_next select * from outbox`.execute(db);
  await sql`drop table outbox`.execute(db);
  await sql`alter table outbox_next rename to outbox`.execute(db);
  await db.schema.createIndex('outbox_due_ix').on('outbox').columns(['company_id', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_communication_ix').on('outbox').columns(['company_id', 'communication_id']).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  if (isPostgres(db)) {
    await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
    await sql`alter table outbox add constraint outbox_status_check check (${STATUSES})`.execute(db);
  } else {
    await rebuildSqliteOutbox(db, STATUSES);
  }
  await db.schema.alterTable('communications').addColumn('cancelled_at', t.timestamp).execute();
  await db.schema.alterTable('communications').addColumn('cancel_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update outbox set status = 'failed' where status = 'cancelled'`.execute(db);
  if (isPostgres(db)) {
    await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
    await sql`alter table outbox add constraint outbox_status_check check (${OLD_STATUSES})`.execute(db);
  } else {
    await rebuildSqliteOutbox(db, OLD_STATUSES);
  }
  await db.schema.alterTable('communications').dropColumn('cancel_reason').execute();
  await db.schema.alterTable('communications').dropColumn('cancelled_at').execute();
}

import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * The debtor's payment page. `portal_links`: a customer's links, found by (company, id) from the token itself and
 * checked against the token's SHA-256, never the token in clear. `payment_announcements`: "j'ai payé" from the page,
 * and on each invoice concerned the day it was announced (cleared by the next payment or credit note), which holds
 * its reminders for the policy's pause. `schedule_requests`: instalments a customer proposes, until the collector
 * accepts or refuses them. `portal_files`: what a customer attaches to a dispute.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('portal_links')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .addColumn('last_used_at', t.timestamp)
    .addPrimaryKeyConstraint('portal_links_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint(
      'portal_links_customer_fk',
      ['company_id', 'customer_id'] as never,
      'customers',
      ['company_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await sql`create index portal_links_customer_ix on portal_links (company_id, customer_id, expires_at)`.execute(db);

  // The page shows the customer's last letter: its newest communication, without reading the company's.
  await sql`create index communications_customer_ix on communications (company_id, customer_id, created_at)`.execute(
    db,
  );

  await db.schema
    .createTable('payment_announcements')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('invoice_ids', 'text', (c) => c.notNull())
    .addColumn('paid_on', t.date, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('means', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_announcements_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint(
      'payment_announcements_customer_fk',
      ['company_id', 'customer_id'] as never,
      'customers',
      ['company_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await sql`create index payment_announcements_customer_ix on payment_announcements (company_id, customer_id, created_at)`.execute(
    db,
  );
  await db.schema.alterTable('invoices').addColumn('payment_announced_on', t.date).execute();

  await db.schema
    .createTable('schedule_requests')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('instalments', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('schedule_requests_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint(
      'schedule_requests_invoice_fk',
      ['company_id', 'invoice_id'] as never,
      'invoices',
      ['company_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await sql`create index schedule_requests_customer_ix on schedule_requests (company_id, customer_id, created_at)`.execute(
    db,
  );

  await db.schema
    .createTable('portal_files')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('content', t.blob, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('portal_files_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint(
      'portal_files_invoice_fk',
      ['company_id', 'invoice_id'] as never,
      'invoices',
      ['company_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await sql`create index portal_files_customer_ix on portal_files (company_id, customer_id, created_at)`.execute(db);
}

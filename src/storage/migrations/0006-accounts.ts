import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Accounts and what the HTTP API keeps. Users are global (one person, several companies); what a user
 * may do lives in memberships, keyed by company first like every tenant table. Secrets (session ids,
 * API tokens, reset tokens) are stored only as SHA-256 hashes, so a copy of the database logs nobody in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema.createTable('users')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema.createTable('memberships')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'collector', 'viewer')`))
    // A collector with a sales rep only sees and chases that représentant's customers.
    .addColumn('sales_rep', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['company_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user_ix').on('memberships').column('user_id').execute();

  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_ix').on('sessions').column('user_id').execute();

  await db.schema.createTable('api_tokens')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addPrimaryKeyConstraint('api_tokens_pk', ['company_id', 'id'])
    .execute();

  await db.schema.createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();

  await db.schema.createTable('audit_log')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('user_id', t.id)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'text')
    .addPrimaryKeyConstraint('audit_log_pk', ['company_id', 'id'])
    .execute();

  await db.schema.createTable('webhooks')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhooks_pk', ['company_id', 'id'])
    .execute();

  await db.schema.createTable('webhook_deliveries')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('webhook_id', t.id, (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['company_id', 'id'])
    .addForeignKeyConstraint('webhook_deliveries_webhook_fk', ['company_id', 'webhook_id'], 'webhooks', ['company_id', 'id'],
      (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_ix').on('webhook_deliveries').columns(['status', 'next_attempt_at'])
    .execute();

  // The invoice list pages by number or by due date, filtered by sales rep: keyset pages read 50 index entries.
  await db.schema.createIndex('invoices_due_ix').on('invoices').columns(['company_id', 'due_date', 'number']).execute();
  await db.schema.createIndex('invoices_sales_rep_ix').on('invoices').columns(['company_id', 'sales_rep', 'number']).execute();
  await db.schema.createIndex('customers_sales_rep_ix').on('customers').columns(['company_id', 'sales_rep', 'code']).execute();
}

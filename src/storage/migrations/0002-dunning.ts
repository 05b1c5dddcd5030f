import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * What the dunning engine keeps: named policies, each customer's override or hold, runs, the
 * communications they produced and one reminder row per invoice and level. The unique
 * (company_id, invoice_id, level) key is what makes a level impossible to record twice, even when two
 * runs race; the partial unique index on automatic runs makes one automatic run per company and day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema.createTable('policies')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_pk', ['company_id', 'id'])
    .addUniqueConstraint('policies_name_uq', ['company_id', 'name'])
    .execute();
  await db.schema.createIndex('policies_default_uq').on('policies').column('company_id').unique()
    .where(sql.ref('is_default'), '=', 1).execute();

  // Automatic mode is off until the user has seen the simulation and switched it on.
  await db.schema.alterTable('companies').addColumn('auto_run', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('companies').addColumn('auto_run_time', 'text', (c) => c.notNull().defaultTo('09:00')).execute();
  await db.schema.alterTable('companies').addColumn('skip_weekends', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('companies').addColumn('skip_holidays', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('customers').addColumn('policy_id', t.id).execute();
  await db.schema.alterTable('customers').addColumn('dunning_paused_until', t.date).execute();
  await db.schema.alterTable('customers').addColumn('dunning_blocked_reason', 'text').execute();
  // The day the invoice next needs the engine's attention, so a daily run reads only those.
  await db.schema.alterTable('invoices').addColumn('next_action_date', t.date).execute();
  await db.schema.createIndex('invoices_next_action_ix').on('invoices').columns(['company_id', 'next_action_date']).execute();

  await db.schema.createTable('runs')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('run_date', t.date, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('manual', 'automatic')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'failed')`))
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addPrimaryKeyConstraint('runs_pk', ['company_id', 'id'])
    .execute();
  await db.schema.createIndex('runs_automatic_uq').on('runs').columns(['company_id', 'run_date']).unique()
    .where(sql.ref('kind'), '=', 'automatic').execute();

  await db.schema.createTable('communications')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('run_id', t.id)
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('communications_pk', ['company_id', 'id'])
    .addForeignKeyConstraint('communications_customer_fk', ['company_id', 'customer_id'], 'customers', ['company_id', 'id'])
    .addForeignKeyConstraint('communications_run_fk', ['company_id', 'run_id'], 'runs', ['company_id', 'id'])
    .execute();

  await db.schema.createTable('reminders')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level >= 1`))
    .addColumn('sent_on', t.date, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('run_id', t.id)
    .addColumn('communication_id', t.id, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_pk', ['company_id', 'id'])
    .addUniqueConstraint('reminders_level_uq', ['company_id', 'invoice_id', 'level'])
    .addForeignKeyConstraint('reminders_invoice_fk', ['company_id', 'invoice_id'], 'invoices', ['company_id', 'id'])
    .addForeignKeyConstraint('reminders_communication_fk', ['company_id', 'communication_id'], 'communications',
      ['company_id', 'id'])
    .execute();
  await db.schema.createIndex('reminders_run_ix').on('reminders').columns(['company_id', 'run_id']).execute();
}

import { sql, type Kysely } from 'kysely';
import { columnTypes, isPostgres } from './column-types.ts';

/**
 * A reminder's state: `pending` while its message waits in the outbox (recorded, so the same level is never
 * planned twice, but not yet counted as sent), `sent` once SMTP accepted it or its letter was printed, and
 * `cancelled` when the send-time check or a bounce stopped it (kept for the record, the level not counted).
 * Rows written before this migration left already: they are `sent`. A level is unique per invoice among the
 * reminders not cancelled, so a cancelled level can be recorded again: PostgreSQL swaps the unique constraint
 * for a partial unique index; SQLite cannot drop a constraint, so the table is copied into one without it.
 * `balance`: the invoice's balance when the reminder was recorded, so the send-time check cancels a message
 * only when what it demands changed (null for older rows: any change of the invoice counts then).
 */
const STATES = sql`state in ('pending', 'sent', 'cancelled')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  if (isPostgres(db)) {
    await db.schema
      .alterTable('reminders')
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('sent').check(STATES))
      .execute();
    await db.schema.alterTable('reminders').addColumn('balance', t.money).execute();
    await sql`alter table reminders drop constraint reminders_level_uq`.execute(db);
  } else {
    await db.schema
      .createTable('reminders_next')
      .addColumn('company_id', t.id, (c) => c.notNull())
      .addColumn('id', t.id, (c) => c.notNull())
      .addColumn('invoice_id', t.id, (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull().check(sql`level >= 1`))
      .addColumn('sent_on', t.date, (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('run_id', t.id)
      .addColumn('communication_id', t.id, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('sent').check(STATES))
      .addColumn('balance', t.money)
      .addPrimaryKeyConstraint('reminders_pk', ['company_id', 'id'])
      .addForeignKeyConstraint('reminders_invoice_fk', ['company_id', 'invoice_id'], 'invoices', ['company_id', 'id'])
      .addForeignKeyConstraint('reminders_communication_fk', ['company_id', 'communication_id'], 'communications', [
        'company_id',
        'id',
      ])
      .execute();
    await sql`insert into reminders_next (company_id, id, invoice_id, level, sent_on, channel, run_id, communication_id,
      created_at, state) select company_id, id, invoice_id, level, sent_on, channel, run_id, communication_id, created_at,
      'sent' from reminders`.execute(db);
    await sql`drop table reminders`.execute(db);
    await sql`alter table reminders_next rename to reminders`.execute(db);
    await db.schema.createIndex('reminders_run_ix').on('reminders').columns(['company_id', 'run_id']).execute();
  }
  await sql`create unique index reminders_level_uq on reminders (company_id, invoice_id, level)
    where state <> 'cancelled'`.execute(db);
  await sql`create index reminders_communication_ix on reminders (company_id, communication_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from reminders where state = 'cancelled'`.execute(db);
  await sql`drop index reminders_communication_ix`.execute(db);
  await sql`drop index reminders_level_uq`.execute(db);
  await db.schema.alterTable('reminders').dropColumn('state').execute();
  await db.schema.alterTable('reminders').dropColumn('balance').execute();
  await sql`create unique index reminders_level_uq on reminders (company_id, invoice_id, level)`.execute(db);
}

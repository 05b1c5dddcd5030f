import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * The customer's notes, call log and tasks ("rappeler le 12/01"), one table: a task has a date and the
 * user it is assigned to, whose dashboard lists it until it is done. Also makes every open invoice's
 * "Relances" category stale once, so the categories added with it (overdue before the first step,
 * held with its reason) are worked out for invoices whose cached category predates them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('customer_activities')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('due_on', t.date)
    .addColumn('assigned_to', t.id)
    .addColumn('done_at', t.timestamp)
    .addColumn('created_by', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_activities_pk', ['company_id', 'id'] as never)
    .addForeignKeyConstraint('customer_activities_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await sql`create index customer_activities_customer_ix on customer_activities (company_id, customer_id, created_at)`.execute(db);
  await sql`create index customer_activities_open_tasks_ix on customer_activities (company_id, assigned_to, due_on)
    where kind = 'task' and done_at is null`.execute(db);
  await sql`update invoices set category_until = null where status = 'issued' and allocated < total and dunning_category = ''`.execute(db);
}

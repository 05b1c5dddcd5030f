import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * What the collector's card of customer answers needs to be exact: the invoice a task is about (the payment page
 * files one per dispute; a task assigned to nobody is not necessarily a dispute), and the date a customer promised
 * on the payment page (a promise typed in the workspace, or a direct debit's hold, sets only the promised date).
 * Both nullable, so adding them rewrites no row on either engine. The dispute tasks still open get their invoice
 * back from their text, which names it, so that they stay on the card after the upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('customer_activities').addColumn('invoice_id', t.id).execute();
  await db.schema.alterTable('invoices').addColumn('portal_promise_date', t.date).execute();
  await sql`update customer_activities set invoice_id = (select i.id from invoices as i
      where i.company_id = customer_activities.company_id and i.customer_id = customer_activities.customer_id
      and i.disputed = 1 and customer_activities.body like '%' || i.number || '%'
      order by i.number limit 1)
    where kind = 'task' and assigned_to is null and created_by is null and done_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').dropColumn('portal_promise_date').execute();
  await db.schema.alterTable('customer_activities').dropColumn('invoice_id').execute();
}

import { type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * What the collector's card of customer answers needs to be exact: the invoice a task is about (the payment page
 * files one per dispute; a task assigned to nobody is not necessarily a dispute), and the date a customer promised
 * on the payment page (a promise typed in the workspace, or a direct debit's hold, sets only the promised date).
 * Both nullable, so adding them rewrites no row on either engine.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('customer_activities').addColumn('invoice_id', t.id).execute();
  await db.schema.alterTable('invoices').addColumn('portal_promise_date', t.date).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').dropColumn('portal_promise_date').execute();
  await db.schema.alterTable('customer_activities').dropColumn('invoice_id').execute();
}

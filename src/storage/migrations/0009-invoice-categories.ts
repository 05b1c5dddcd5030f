import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * The "Relances" category of each open invoice (level-N, level-N-in-progress, out-of-cycle, '' for
 * none) and the date until which it holds, stored when a plan or a run computes it, so listing a
 * category is an index range instead of a plan of the whole ledger (src/dunning/categories.ts).
 *
 * It is a cache of the planner, trusted only while the invoice's next-action date is set: every ledger
 * change already resets that date to null. Dates set before this migration were written without a
 * category, so they are reset here (the next run simply reads those invoices again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('invoices').addColumn('dunning_category', 'text').execute();
  await db.schema.alterTable('invoices').addColumn('category_until', t.date).execute();
  await sql`update invoices set next_action_date = null where next_action_date is not null`.execute(db);
  await db.schema.createIndex('invoices_category_ix').on('invoices').columns(['company_id', 'dunning_category', 'number']).execute();
  // Finding what needs computing again: open invoices only, so the settled majority is never read.
  const open = sql<boolean>`status = 'issued' and allocated < total`;
  await db.schema.createIndex('invoices_open_next_action_ix').on('invoices').columns(['company_id', 'next_action_date']).where(open)
    .execute();
  await db.schema.createIndex('invoices_open_category_until_ix').on('invoices').columns(['company_id', 'category_until']).where(open)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['invoices_category_ix', 'invoices_open_next_action_ix', 'invoices_open_category_until_ix']) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('invoices').dropColumn('category_until').execute();
  await db.schema.alterTable('invoices').dropColumn('dunning_category').execute();
}

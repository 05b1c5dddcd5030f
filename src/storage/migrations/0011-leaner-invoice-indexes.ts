import { sql, type Kysely } from 'kysely';

/**
 * Every index on invoices is paid for by each invoice written (a 1M-row import spent more time in the
 * indexes than in the table). Two of them did no work of their own:
 * - invoices_next_action_ix (0002): every query on next_action_date also asks for open invoices and uses
 *   invoices_open_next_action_ix (0009) or the category indexes instead;
 * - invoices_category_ix (0009) held every invoice, but is only searched for one category, which is set
 *   on the open invoices a plan has seen; the settled majority and new invoices now stay out of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('invoices_next_action_ix').execute();
  await db.schema.dropIndex('invoices_category_ix').execute();
  await db.schema.createIndex('invoices_category_ix').on('invoices').columns(['company_id', 'dunning_category', 'number'])
    .where(sql<boolean>`dunning_category is not null`).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('invoices_category_ix').execute();
  await db.schema.createIndex('invoices_category_ix').on('invoices').columns(['company_id', 'dunning_category', 'number']).execute();
  await db.schema.createIndex('invoices_next_action_ix').on('invoices').columns(['company_id', 'next_action_date']).execute();
}

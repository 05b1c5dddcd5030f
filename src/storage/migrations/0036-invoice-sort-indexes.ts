import { sql, type Kysely } from 'kysely';

/**
 * The invoice list sorts by issue date, amount and balance as it does by due date: one index of
 * (company_id, key, number) each, read forwards or backwards, so a page of a million invoices is a short
 * index walk in either order. The balance is the expression `total - allocated`, indexed as written in the
 * list's query so both engines use it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('invoices_issue_ix')
    .on('invoices')
    .columns(['company_id', 'issue_date', 'number'])
    .execute();
  await db.schema.createIndex('invoices_total_ix').on('invoices').columns(['company_id', 'total', 'number']).execute();
  await sql`create index invoices_balance_ix on invoices (company_id, (total - allocated), number)`.execute(db);
}

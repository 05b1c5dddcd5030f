import { sql, type Kysely } from 'kysely';

/**
 * The dashboard lists the promises to pay still running. Few invoices carry one, so a partial index on the date
 * finds them without reading the company's open invoices, and holds what their count needs (open or not, whose) so
 * that the count reads no table row; other queries cannot use it, so their plans stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index invoices_promise_ix on invoices
    (company_id, promise_to_pay_date, customer_id, status, allocated, total)
    where promise_to_pay_date is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index invoices_promise_ix`.execute(db);
}

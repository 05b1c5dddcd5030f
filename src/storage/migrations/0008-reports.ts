import { sql, type Kysely } from 'kysely';

/**
 * Reports (issue 8). The aged balance reads the invoices open today from one partial index that holds
 * every column it needs (a 1M-invoice ledger has ~25 % open: the paid ones are never touched), and the
 * allocations dated after the as-of date from an index on the date (none when the date is today), which
 * turns "the balance on date D" into "today's balance plus what was allocated after D".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index invoices_open_ix on invoices
    (company_id, customer_id, currency, due_date, issue_date, total, allocated, sales_rep)
    where status = 'issued' and allocated < total`.execute(db);
  await sql`create index allocations_date_ix on allocations (company_id, date, invoice_id, amount)`.execute(db);
}

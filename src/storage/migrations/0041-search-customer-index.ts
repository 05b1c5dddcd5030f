import { sql, type Kysely } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * The customer index of invoices carries the invoice number: a search gathers the invoices of the customers
 * whose name or code it matched and sorts them by number from the index alone, instead of reading one table
 * row per candidate (five times slower on SQLite); one customer's invoices also come in number order. The
 * index keeps its name, so queries and hints that name it are unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index invoices_customer_ix`.execute(db);
  await sql`create index invoices_customer_ix on invoices (company_id, customer_id, number)`.execute(db);
  await restoreStatistics(db);
}

/**
 * Dropping the index dropped SQLite's statistics of it, and with one index of the table unknown the planner
 * changes its plans for the others (the overdue list sorted every overdue invoice instead of walking the number
 * order): the bounded analysis `relance serve` makes puts them back, where the ledger had statistics.
 */
async function restoreStatistics(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(db);
  if (!rows[0]?.n) return;
  const { rows: analysed } = await sql<{ n: number }>`select count(*) as n from sqlite_stat1
    where tbl = 'invoices'`.execute(db);
  if (!analysed[0]?.n) return;
  await sql`pragma analysis_limit = 1000`.execute(db);
  await sql`analyze invoices_customer_ix`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index invoices_customer_ix`.execute(db);
  await sql`create index invoices_customer_ix on invoices (company_id, customer_id)`.execute(db);
  await restoreStatistics(db);
}

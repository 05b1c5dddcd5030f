import { sql, type Kysely } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * What a kept search depends on changes the PostgreSQL sequence `search_data_version` (src/storage/search-cache.ts):
 * one step per statement that adds, removes or renames customers or invoices, moves an invoice to another customer
 * or renumbers it. A sequence moves at once, outside transactions, and takes no lock, so writers never wait on
 * each other for it; statement triggers cost one step per import statement, not per row. The current snapshot
 * alone changed with every write anywhere on the server (fifteen times a second on a shared one), so a search
 * was seldom found again. SQLite needs none of this: its connection counts its own changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create sequence search_data_version`.execute(db);
  await sql`create function search_data_changed() returns trigger language plpgsql as $$
    begin perform nextval('search_data_version'); return null; end $$`.execute(db);
  for (const [table, columns] of [
    ['customers', 'company_id, id, search_text'],
    ['invoices', 'company_id, id, customer_id, number'],
  ] as const) {
    await sql`create trigger ${sql.id(`${table}_search_changed`)}
      after insert or delete or update of ${sql.raw(columns)} or truncate on ${sql.id(table)}
      for each statement execute function search_data_changed()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of ['customers', 'invoices']) {
    await sql`drop trigger if exists ${sql.id(`${table}_search_changed`)} on ${sql.id(table)}`.execute(db);
  }
  await sql`drop function if exists search_data_changed()`.execute(db);
  await sql`drop sequence if exists search_data_version`.execute(db);
}

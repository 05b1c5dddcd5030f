import { sql, type Kysely } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * The first number of the advisory lock that a statement writing what searches read holds until its transaction
 * ends ('RELA'); the second is the schema's `search_data_version` sequence, so that ledgers in other schemas of the
 * same database never share it. src/storage/search-cache.ts reads who holds it.
 */
export const SEARCH_WRITERS_LOCK = 0x52454c41;

/**
 * A kept search stayed valid only while no transaction at all was in progress on the server (migration 0045 read
 * them all from the snapshot): on a server shared with other databases or busy with other writes, it was seldom
 * found again, and the name search on 1M invoices cost 16 ms of database CPU instead of 2. Each statement that
 * writes customers or invoices now also takes a shared advisory lock, held until its transaction ends, before it
 * steps the sequence: the transactions that may hold unseen search data are the holders of that lock. Shared, so
 * writers never wait on each other; released only after the commit is visible.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create or replace function search_data_changed() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(${sql.lit(SEARCH_WRITERS_LOCK)},
        cast(cast(to_regclass('search_data_version') as oid) as integer));
      perform nextval('search_data_version');
      return null;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create or replace function search_data_changed() returns trigger language plpgsql as $$
    begin perform nextval('search_data_version'); return null; end $$`.execute(db);
}

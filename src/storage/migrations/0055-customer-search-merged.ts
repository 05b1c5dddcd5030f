import { sql, type Kysely } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * SQLite's trigram index of the customers (migration 0018), written a customer at a time by its triggers during a
 * bulk load, is left in the many segments FTS5 merges only part way, and a search reads each of its trigrams in
 * every segment. Merging it once into one segment halved a customer code's search on 100,000 customers; bulk
 * writes merge it again from now on (src/storage/statistics.ts). Nothing changes but the index's layout.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from sqlite_master where type = 'table' and name = 'customers_search'`.execute(db);
  if (!rows[0]?.n) return;
  await sql`insert into customers_search (customers_search) values ('optimize')`.execute(db);
}

export async function down(): Promise<void> {
  // A merged index answers the same; there is nothing to undo.
}

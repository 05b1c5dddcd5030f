import { sql, type Kysely } from 'kysely';
import { isPostgres } from './column-types.ts';

/**
 * Whether the database's default collation orders text by code point, as C does: then an invoice-number prefix
 * is an index range of the plain number index. Asked of the collation itself, not of `datcollate`: a database
 * created with an ICU locale (`locale_provider icu`) keeps `datcollate = C.UTF-8` while it sorts by language.
 * Shared with the search (invoice-search.ts), so the two never disagree.
 */
export async function sortsByCodePoint(db: Kysely<unknown>): Promise<boolean> {
  if (!isPostgres(db)) return true;
  const { rows } = await sql<{
    ordered: boolean;
  }>`select ('B' < 'a' and 'a-c' < 'ab' and 'f' < 'é') as ordered`.execute(db);
  return rows[0]?.ordered === true;
}

/**
 * The number-prefix index (0018) for databases whose collation is linguistic but whose `datcollate` reads C (ICU
 * databases): there LIKE 'prefix%' could not use the number index and read every invoice of the company.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db) || (await sortsByCodePoint(db))) return;
  await sql`create index if not exists invoices_number_pattern_ix on invoices (company_id, number text_pattern_ops)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  // The index belongs to 0018 when that migration made it; left in place.
}

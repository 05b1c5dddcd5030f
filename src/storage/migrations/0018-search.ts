import { sql, type Kysely } from 'kysely';
import { customerSearchText } from '../../domain/search-text.ts';
import { isPostgres } from './column-types.ts';

/**
 * Accent- and case-insensitive search of customers served from an index on both engines. The app writes
 * `customers.search_text` (code and name folded by foldForSearch: neither engine folds accents by itself,
 * and PostgreSQL's unaccent is not always installable). SQLite indexes it with an FTS5 trigram table kept in
 * step by triggers, which answers LIKE '%text%' from the index; PostgreSQL with a pg_trgm GIN index when the
 * extension can be created (it ships with the Debian postgresql package and is trusted, so a database owner
 * may create it), otherwise the search reads the customers table. An invoice-number prefix is an index range
 * under the C collation; under another collation PostgreSQL needs a text_pattern_ops index for LIKE 'prefix%'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customers add column search_text text not null default ''`.execute(db);
  await backfill(db);
  if (!isPostgres(db)) {
    await sql`create virtual table customers_search using fts5(search_text, content='customers', tokenize='trigram')`.execute(db);
    await sql`insert into customers_search(customers_search) values ('rebuild')`.execute(db);
    await sql`create trigger customers_search_ai after insert on customers begin
      insert into customers_search(rowid, search_text) values (new.rowid, new.search_text); end`.execute(db);
    await sql`create trigger customers_search_ad after delete on customers begin
      insert into customers_search(customers_search, rowid, search_text) values ('delete', old.rowid, old.search_text); end`.execute(db);
    await sql`create trigger customers_search_au after update of search_text on customers begin
      insert into customers_search(customers_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
      insert into customers_search(rowid, search_text) values (new.rowid, new.search_text); end`.execute(db);
    return;
  }
  const trgm = await trigramSchema(db);
  if (trgm) {
    await sql`create index customers_search_trgm_ix on customers using gin (search_text ${sql.id(trgm)}.gin_trgm_ops)`.execute(db);
  }
  const { rows } = await sql<{ collation: string }>`select datcollate as collation from pg_database where datname = current_database()`.execute(db);
  if (!/^(C|POSIX|C\.UTF-?8)$/i.test(rows[0]?.collation ?? '')) {
    await sql`create index invoices_number_pattern_ix on invoices (company_id, number text_pattern_ops)`.execute(db);
  }
}

async function backfill(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  for (;;) {
    const { rows } = await sql<{ company_id: string; id: string; code: string; name: string }>`select company_id, id, code, name
      from customers where search_text = '' limit 5000`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      await sql`update customers set search_text = ${customerSearchText(row.code, row.name)}
        where company_id = ${row.company_id} and id = ${pg ? sql`${row.id}::uuid` : row.id}`.execute(db);
    }
  }
}

/**
 * The schema holding pg_trgm, created in `public` if the database has it nowhere yet (extensions are per
 * database; a schema of its own would take it away when dropped), or null when it cannot be created: a
 * failed CREATE EXTENSION is undone to a savepoint so the migration goes on without the index.
 */
async function trigramSchema(db: Kysely<unknown>): Promise<string | null> {
  const installed = async () => (await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
    join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db)).rows[0]?.schema ?? null;
  const found = await installed();
  if (found) return found;
  const { rows } = await sql<{ name: string }>`select name from pg_available_extensions where name = 'pg_trgm'`.execute(db);
  if (rows.length === 0) return null;
  await sql`savepoint relance_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm schema public`.execute(db);
    await sql`release savepoint relance_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint relance_trgm`.execute(db);
    return null;
  }
  return installed();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop index if exists invoices_number_pattern_ix`.execute(db);
    await sql`drop index if exists customers_search_trgm_ix`.execute(db);
  } else {
    for (const trigger of ['customers_search_ai', 'customers_search_ad', 'customers_search_au']) {
      await sql`drop trigger if exists ${sql.id(trigger)}`.execute(db);
    }
    await sql`drop table if exists customers_search`.execute(db);
  }
  await sql`alter table customers drop column search_text`.execute(db);
}

import { PostgresAdapter, type Kysely } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * One migration set serves both engines; only the storage types differ. The pg type parsers turn
 * PostgreSQL's date, bigint and timestamptz back into what SQLite returns.
 */
export function columnTypes(db: Kysely<any>) {
  const pg = isPostgres(db);
  return {
    id: pg ? ('uuid' as const) : ('text' as const),
    date: pg ? ('date' as const) : ('text' as const),
    money: pg ? ('bigint' as const) : ('integer' as const),
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    blob: pg ? ('bytea' as const) : ('blob' as const),
  };
}

import { PostgresAdapter, type DialectAdapter } from 'kysely';

/** Any Kysely handle, whatever its tables: only the dialect is read. */
export type AnyDb = { getExecutor(): { readonly adapter: DialectAdapter } };

export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * One migration set serves both engines; only the storage types differ. The pg type parsers turn
 * PostgreSQL's date, bigint and timestamptz back into what SQLite returns.
 */
export function columnTypes(db: AnyDb) {
  const pg = isPostgres(db);
  return {
    id: pg ? ('uuid' as const) : ('text' as const),
    date: pg ? ('date' as const) : ('text' as const),
    money: pg ? ('bigint' as const) : ('integer' as const),
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    blob: pg ? ('bytea' as const) : ('blob' as const),
  };
}

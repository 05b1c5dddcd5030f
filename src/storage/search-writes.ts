import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * What SQLite counts of a connection's own writes for a kept search (search-cache.ts): only those that can change
 * which invoices a search finds or their order, the writes PostgreSQL's statement triggers count (migration
 * 0045). The connection's `total_changes()` counted every row written, the API token's last use and the audit rows
 * included, so under load a kept search was seldom found again.
 *
 * The counter is JavaScript's, bumped by TEMP triggers that exist on the serving connection only: they are created
 * when it first searches, so a process that never searches (a CLI import) pays nothing per row, and the database
 * file holds nothing of them. Like `total_changes()` the count never goes back, a rollback included.
 */
export function countSearchWrites(native: BetterSqlite3.Database): void {
  let writes = 0;
  native.function('relance_search_write', { deterministic: false }, () => {
    writes++;
    return null;
  });
  native.function('relance_search_writes', { deterministic: false }, () => writes);
}

/** The writes that change a search's customers (their folded code and name) or their invoices' keys and numbers. */
const WATCHED = [
  ['customers', 'insert', ''],
  ['customers', 'delete', ''],
  ['customers', 'update', 'company_id, id, search_text'],
  ['invoices', 'insert', ''],
  ['invoices', 'delete', ''],
  ['invoices', 'update', 'company_id, id, customer_id, number'],
] as const;

const TRIGGER_PREFIX = 'relance_search_';

/**
 * A value equal only while this connection wrote nothing a search reads and no other connection committed:
 * the count of the watched writes, `data_version` (another connection's commit, a CLI import beside `relance
 * serve`) and `schema_version` (a table dropped and made again loses its triggers, and whatever was written
 * before they are made again is then not counted). Null when it cannot be read (tables not made yet).
 */
/**
 * Read at every search, so compiled once. The pattern is written in it: SQLite prepares a statement that GLOBs a
 * bound pattern again at each run (it may turn a constant pattern into an index range), which tripled its cost.
 */
const VERSION = CompiledQuery.raw(`select relance_search_writes() || '.' || d.data_version || '.' ||
  s.schema_version as v, (select count(*) from temp.sqlite_master where type = 'trigger'
  and name glob '${TRIGGER_PREFIX}*') as triggers from pragma_data_version as d, pragma_schema_version as s`);

export async function sqliteSearchVersion(db: Db): Promise<string | null> {
  const read = async () => (await db.executeQuery<{ v: string; triggers: number }>(VERSION)).rows[0];
  const first = await read();
  if (first && Number(first.triggers) === WATCHED.length) return first.v;
  for (const [table, event, columns] of WATCHED) {
    const on = event === 'update' ? sql.raw(`update of ${columns}`) : sql.raw(event);
    await sql`create temp trigger if not exists ${sql.id(`${TRIGGER_PREFIX}${table}_${event}`)}
      after ${on} on main.${sql.id(table)} begin select relance_search_write(); end`.execute(db);
  }
  // Whatever this connection wrote before its triggers existed is behind this first value, not after it.
  const watched = await read();
  return watched && Number(watched.triggers) === WATCHED.length ? watched.v : null;
}

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely prepares every query anew; imports and runs repeat the same few statements millions of
 * times. Kysely serialises queries on the single SQLite connection, so a prepared statement is never
 * used by two queries at once and can be reused safely.
 */
const BULK = '/*each row*/ ';

/**
 * SQLite runs one prepared single-row INSERT per row faster than a multi-row VALUES statement (measured
 * in bench/import.ts), so a `/*each row*\/ insert … values (?…)` query takes one parameter per row, the
 * array of that row's values, and binds each in turn (no flattening into one list and slicing it back).
 * A single-row UPDATE goes the same way, each row an object of named values (`@id`), as next-actions.ts
 * writes the next-action dates: one primary-key lookup per row, whatever the statistics.
 */
function repeatedStatement(statement: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: false,
    all: () => [],
    iterate: () => [][Symbol.iterator](),
    run(rows: ReadonlyArray<unknown[] | Record<string, unknown>>) {
      let changes = 0;
      for (const row of rows) changes += statement.run(row).changes;
      return { changes, lastInsertRowid: 0 };
    },
  } as unknown as SqliteStatement;
}

/**
 * `select /*array rows*\/ …` (see array-rows.ts) returns each row as an array of its values in column order:
 * a plan reads hundreds of thousands of rows, and building an object per row cost more than the query.
 */
export const ARRAY_ROWS = 'select /*array rows*/ ';

export function cachingDatabase(native: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => native.close(),
    prepare(sql: string): SqliteStatement {
      // A deferred transaction that reads, then writes after another connection committed, fails at once
      // with SQLITE_BUSY_SNAPSHOT; taking the write lock at BEGIN makes it wait (busy_timeout) and read
      // current data, which the run's re-check before recording a reminder relies on.
      if (sql === 'begin') sql = 'begin immediate';
      if (sql.startsWith(BULK))
        return repeatedStatement(this.prepare(sql.slice(BULK.length)) as unknown as BetterSqlite3.Statement);
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = native.prepare(sql);
        if (sql.startsWith(ARRAY_ROWS)) statement.raw(true);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}

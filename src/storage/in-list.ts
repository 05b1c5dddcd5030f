import { sql, type RawBuilder } from 'kysely';
import { isId } from '../shared/ids.ts';
import type { Db } from './database.ts';
import { isPostgres } from './migrations/column-types.ts';

/**
 * `column IN (ids)` as one bound parameter however many ids there are: a PostgreSQL array, or a JSON
 * array read by SQLite's json_each. A batch of 2,000 messages then costs one query per table, with no
 * parameter-count limit and no statement text that changes with the batch size.
 */
export function inIds(db: Db, column: string, ids: readonly string[]): RawBuilder<boolean> {
  // Something that is not one of our ids matches nothing (and must not reach PostgreSQL's uuid cast).
  const valid = ids.filter(isId);
  if (isPostgres(db)) return sql<boolean>`${sql.ref(column)} = any(${valid}::uuid[])`;
  return sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(valid)}))`;
}

/** `column IN (values)` for text keys (numbers, codes, import keys), as one bound parameter like `inIds`. */
export function inTexts(db: Db, column: string, values: readonly string[]): RawBuilder<boolean> {
  if (isPostgres(db)) return sql<boolean>`${sql.ref(column)} = any(${values}::text[])`;
  return sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}

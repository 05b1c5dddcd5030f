import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ARRAY_ROWS } from './sqlite-statement-cache.ts';

/**
 * A statement whose text starts with `select /*prepared*\/ ` or `with /*prepared*\/ ` (or with the array-rows mark
 * and then this one) is sent to PostgreSQL as a named prepared statement of the connection: parsed once per connection and, once its
 * plans prove alike, planned once (a generic plan). The invoice list's statements are compiled once per shape and
 * priced with their values unseen (invoice-search.ts), and planning them cost as much as running them.
 * SQLite ignores the comment: its statements are prepared once anyway (sqlite-statement-cache.ts).
 */
export const PREPARED = '/*prepared*/ ';

const names = new Map<string, string>();
/** Distinct texts named at most; beyond, a text is sent unnamed (shapes are few, values are bound). */
const MAX_NAMES = 500;

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `relance_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/** Whether the text carries the mark, after `select `, `with ` or the array-rows mark. */
function marked(text: string): boolean {
  return (
    text.startsWith(`select ${PREPARED}`) ||
    text.startsWith(`with ${PREPARED}`) ||
    text.startsWith(`${ARRAY_ROWS}${PREPARED}`)
  );
}

type QueryConfig = { text: string; values?: unknown; name?: string; rowMode?: string };
type Query = (text: unknown, values?: unknown) => Promise<unknown>;
const PATCHED = Symbol('prepared statements');

/** Makes a pooled client send marked statements as named prepared statements. */
export function pgPreparedStatements(client: pg.PoolClient): void {
  const target = client as unknown as { query: Query; [PATCHED]?: true };
  if (target[PATCHED]) return;
  target[PATCHED] = true;
  const query = target.query.bind(client) as Query;
  target.query = ((text: unknown, values?: unknown) => {
    if (typeof text === 'string' && marked(text)) {
      const name = nameOf(text);
      if (name !== undefined) return query({ name, text, values });
    } else if (typeof text === 'object' && text !== null && typeof (text as QueryConfig).text === 'string') {
      const config = text as QueryConfig;
      if (config.name === undefined && marked(config.text)) {
        const name = nameOf(config.text);
        if (name !== undefined) return query({ ...config, name }, values);
      }
    }
    return query(text, values);
  }) as Query;
}

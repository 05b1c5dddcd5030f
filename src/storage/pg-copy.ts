import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * `COPY … FROM STDIN` through Kysely. Kysely hands every statement to the pg client as `client.query(text,
 * parameters)` and has no way to pass a stream; a COPY statement (recognised by its text) with one
 * parameter, the rows already encoded by `copyText`, is streamed to the server by pg-copy-streams on
 * the same connection instead, so it takes part in the surrounding transaction like any statement.
 */
const COPY_FROM_STDIN = /^copy \S+ \([^)]*\) from stdin$/;
const PATCHED = Symbol('copy-aware');

type Query = (text: unknown, values?: unknown) => Promise<unknown>;

export function allowCopyFromStdin(client: pg.PoolClient): void {
  const target = client as unknown as { query: Query; [PATCHED]?: true };
  if (target[PATCHED]) return;
  target[PATCHED] = true;
  const query = target.query.bind(client) as Query;
  target.query = ((text: unknown, values?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length === 1 && COPY_FROM_STDIN.test(text)) {
      return copy(client, text, String(values[0]));
    }
    return query(text, values);
  }) as Query;
}

async function copy(client: pg.PoolClient, text: string, payload: string): Promise<pg.QueryResult> {
  const stream = client.query(copyFrom(text));
  await pipeline(Readable.from([payload]), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [], oid: 0, fields: [] };
}

const DELIMITING = /[\\\t\n\r]/;
const DELIMITERS = /[\\\t\n\r]/g;

/**
 * One value in COPY's text format: \N for null, backslash escapes for the characters that delimit. Strings first
 * (most cells are ids, dates and codes) and tested before any replace: a replace with its callback on every cell
 * was a quarter of the encoding's CPU, for strings that almost never hold a delimiter.
 */
function cell(value: unknown): string {
  if (typeof value === 'string') return DELIMITING.test(value) ? value.replace(DELIMITERS, escapeChar) : value;
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  return JSON.stringify(value).replace(DELIMITERS, escapeChar);
}

function escapeChar(ch: string): string {
  return ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r';
}

/** The rows as COPY's text format (tab-separated, one line a row). */
export function copyText(rows: readonly unknown[][]): string {
  let text = '';
  for (const row of rows) {
    let line = cell(row[0]);
    for (let i = 1; i < row.length; i++) line += '\t' + cell(row[i]);
    text += line + '\n';
  }
  return text;
}

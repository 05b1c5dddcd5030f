import { AppError } from '../shared/errors.ts';

/** Keyset cursors are opaque to clients: the last row's sort key, base64url JSON. */
export type Cursor = { n: string; d?: string; v?: string | number };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Cursor).n === 'string' &&
      ((value as Cursor).d === undefined || typeof (value as Cursor).d === 'string') &&
      ((value as Cursor).v === undefined ||
        typeof (value as Cursor).v === 'string' ||
        Number.isSafeInteger((value as Cursor).v))
    )
      return value as Cursor;
  } catch {
    // falls through to the error below
  }
  throw new AppError(
    'invalid_input',
    'The cursor is not one this API returned.',
    [{ field: 'query.cursor', reason: 'malformed cursor', code: 'reason.cursor' }],
    { key: 'problem.http.cursor' },
  );
}

import type { FastifyInstance } from 'fastify';
import { AppError, type FieldIssue } from '../shared/errors.ts';

/** A NUL, or half of a surrogate pair (what invalid UTF-8 or a forged `\ud800` escape leaves in a JS string). */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function findUnstorable(value: unknown, path: string, depth = 0): FieldIssue | null {
  if (typeof value === 'string') {
    const found = UNSTORABLE.exec(value);
    if (!found) return null;
    const nul = found[0] === '\u0000';
    return {
      field: path,
      reason: nul
        ? `NUL character at position ${found.index + 1}`
        : `invalid Unicode (a lone surrogate) at position ${found.index + 1}`,
      code: nul ? 'reason.nulCharacter' : 'reason.loneSurrogate',
      params: { position: found.index + 1 },
    };
  }
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const keyIssue = findUnstorable(key, `${path}.${key}`, depth + 1);
    if (keyIssue) return keyIssue;
    const issue = findUnstorable(item, `${path}.${key}`, depth + 1);
    if (issue) return issue;
  }
  return null;
}

/**
 * Text that neither database can hold the same way (SQLite would store a NUL, PostgreSQL refuses it) is
 * refused at the door, for JSON bodies and query strings alike, naming the field: the same rule as the
 * CSV import's NUL and invalid-UTF-8 check.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const issue =
      findUnstorable(request.query, 'querystring') ??
      findUnstorable(request.params, 'params') ??
      findUnstorable(request.body, 'body');
    if (issue)
      throw new AppError('invalid_input', `The request is invalid: ${issue.field}: ${issue.reason}.`, [issue], {
        key: 'problem.http.unstorable',
        params: { field: issue.field },
      });
  });
}

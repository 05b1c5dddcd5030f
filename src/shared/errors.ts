/**
 * The one error type the application raises on purpose. Its code decides the CLI exit code and the
 * HTTP status in one place (below), so adapters never invent their own mapping.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'over_allocation'
  | 'usage'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** One problem in one place of the input: a CSV row and column, or a JSON path. */
export type FieldIssue = {
  line?: number;
  field: string;
  value?: string;
  /** In English, for logs and API clients that do not translate. */
  reason: string;
  /** Catalogue key of the reason (src/i18n), so each reader gets it in their language, with its params. */
  code?: string;
  params?: Record<string, string | number>;
};

/** A message of the catalogue (src/i18n): its key and the params its text names. */
export type MessageText = { key: string; params?: Record<string, string | number> };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  /**
   * Catalogue key (src/i18n) saying the message in the reader's language, with its params. Required, so an
   * English-only refusal does not compile: `message` is for logs and API clients that do not translate.
   */
  readonly messageKey: string;
  readonly params?: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, issues: FieldIssue[], text: MessageText) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.messageKey = text.key;
    if (text.params) this.params = text.params;
  }

  /** The catalogue message, to raise the same refusal again (with its issues renamed, say). */
  get text(): MessageText {
    return this.params ? { key: this.messageKey, params: this.params } : { key: this.messageKey };
  }
}

/** The catalogue message of a caught error: its own when it is an AppError, else the generic internal one. */
export function textOf(error: unknown): MessageText {
  return error instanceof AppError ? error.text : { key: 'errors.internal' };
}

const EXIT_CODES: Record<ErrorCode, number> = {
  invalid_input: 1,
  not_found: 1,
  conflict: 1,
  over_allocation: 1,
  usage: 2,
  unauthenticated: 1,
  forbidden: 1,
  rate_limited: 3,
  unavailable: 3,
  internal: 3,
};

/** Every error code, for the catalogue test that each has a French and an English text. */
export const ERROR_CODES = Object.keys(EXIT_CODES) as ErrorCode[];

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  over_allocation: 422,
  usage: 400,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Network errors and PostgreSQL's connection-exception (08), shutdown (57P0x) and too-many-connections codes. */
const LOST_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '53300',
]);
/**
 * What node-postgres, Kysely and better-sqlite3 throw, without a code, when a connection dies under a query,
 * cannot be had from the pool, or the database was closed under a request.
 */
const LOST_CONNECTION_TEXT =
  /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect|Connection ended unexpectedly|Cannot use a pool after calling end|driver has already been destroyed|database connection is not open/i;

/**
 * Database-engine failures a user can act on, as the AppError every adapter already knows how to show
 * (exit code 3, HTTP 503); null for anything else, which stays an unexpected failure.
 */
export function fromEngineError(error: unknown): AppError | null {
  const code = String((error as { code?: unknown })?.code ?? '');
  let key: keyof typeof ENGINE_MESSAGES | null = null;
  if (code === 'SQLITE_NOTADB') key = 'notSqlite';
  else if (code.startsWith('SQLITE_BUSY')) key = 'busy';
  else if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') key = 'readOnly';
  else if (
    LOST_CONNECTION_CODES.has(code) ||
    (code === '' && LOST_CONNECTION_TEXT.test(String((error as Error)?.message ?? '')))
  ) {
    key = 'connectionLost';
  }
  return key === null ? null : new AppError('unavailable', ENGINE_MESSAGES[key], [], { key: `database.${key}` });
}

/** As written for logs; the reader gets the catalogue's `database.*` text in their language. */
const ENGINE_MESSAGES = {
  notSqlite: 'the database file is not an SQLite database.',
  busy: 'the database is busy with another process; try again in a moment.',
  readOnly: 'the database file cannot be written.',
  connectionLost: 'the database connection was lost.',
};

export function exitCodeOf(error: unknown): number {
  return error instanceof AppError ? EXIT_CODES[error.code] : 3;
}

export function httpStatusOf(error: unknown): number {
  return error instanceof AppError ? HTTP_STATUS[error.code] : 500;
}

export function describeIssue(issue: FieldIssue): string {
  const where = issue.line !== undefined ? `line ${issue.line}, ` : '';
  return `${where}${issue.field}: ${issue.reason}`;
}

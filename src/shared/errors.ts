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
  | 'unavailable'
  | 'internal';

/** One problem in one place of the input: a CSV row and column, or a JSON path. */
export type FieldIssue = { line?: number; field: string; value?: string; reason: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }
}

const EXIT_CODES: Record<ErrorCode, number> = {
  invalid_input: 1,
  not_found: 1,
  conflict: 1,
  over_allocation: 1,
  usage: 2,
  unavailable: 3,
  internal: 3,
};

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  over_allocation: 422,
  usage: 400,
  unavailable: 503,
  internal: 500,
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

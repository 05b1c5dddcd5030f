import { parseDate, type IsoDate } from '../domain/calendar.ts';
import { parseAmount, type Cents } from '../domain/money.ts';
import type { FieldIssue } from '../shared/errors.ts';
import { fieldLimit } from '../shared/field-limits.ts';

/** A reason with its catalogue key (src/i18n), as parse failures carry them. */
export type Reason = { reason: string; code?: string; params?: Record<string, string | number> };

/** The English reason of a catalogue key, for reasons raised here rather than by a parser. */
export function reason(code: string, english: string, params?: Record<string, string | number>): Reason {
  return params ? { reason: english, code, params } : { reason: english, code };
}

const REQUIRED = reason('import.row.required', 'is required');

/**
 * One CSV row seen through the header: every read names its column, and a bad value is recorded as an
 * issue with the line and column instead of being thrown, so one pass reports every bad cell.
 */
export class RowReader {
  readonly issues: FieldIssue[] = [];

  constructor(
    readonly line: number,
    private readonly values: string[],
    private readonly columns: ReadonlyMap<string, number>,
  ) {}

  /** Whether the file has this column at all (an absent optional column leaves stored values alone). */
  has(column: string): boolean {
    return this.columns.has(column);
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  /** Records a bad cell; a reason without a catalogue key (a parser's own) is shown as written. */
  fail(field: string, why: Reason, value?: string): void {
    const { reason, code, params } = why;
    const issue: FieldIssue = { line: this.line, field, reason, code: code ?? 'problem.asWritten' };
    if (value !== undefined) issue.value = value;
    issue.params = code === undefined ? { text: reason } : params;
    if (issue.params === undefined) delete issue.params;
    this.issues.push(issue);
  }

  /** The trimmed cell, '' when the column is absent or the row is short; a cell over the field's limit is an issue. */
  text(column: string): string {
    const at = this.columns.get(column);
    if (at === undefined) return '';
    const value = this.values[at];
    if (value === undefined) return '';
    const trimmed = value.trim();
    const max = fieldLimit(column);
    if (trimmed.length > max) {
      if (!this.issues.some((i) => i.field === column))
        this.fail(
          column,
          reason('import.row.tooLong', `is longer than ${max} characters (the limit of this field)`, { max }),
        );
      return '';
    }
    return trimmed;
  }

  required(column: string): string {
    const value = this.text(column);
    if (value === '') this.fail(column, REQUIRED);
    return value;
  }

  optional(column: string): string | null {
    const value = this.text(column);
    return value === '' ? null : value;
  }

  date(column: string, required = true): IsoDate | null {
    const value = this.text(column);
    if (value === '') {
      if (required) this.fail(column, REQUIRED);
      return null;
    }
    const result = parseDate(value);
    if (!result.ok) {
      this.fail(column, result, value);
      return null;
    }
    return result.value;
  }

  amount(column: string, currency: string, options: { required?: boolean; positive?: boolean } = {}): Cents | null {
    const value = this.text(column);
    if (value === '') {
      if (options.required ?? true) this.fail(column, REQUIRED);
      return null;
    }
    const result = parseAmount(value, currency);
    if (!result.ok) {
      this.fail(column, result, value);
      return null;
    }
    if (result.value < 0 || (options.positive && result.value === 0)) {
      this.fail(
        column,
        options.positive
          ? reason('import.row.positive', 'must be greater than zero')
          : reason('import.row.negative', 'must not be negative'),
        value,
      );
      return null;
    }
    return result.value;
  }

  /** Reads a value from a closed list, accepting the French words users type (virement, chèque…). */
  choice<T extends string>(column: string, aliases: Record<string, T>, fallback?: T): T | null {
    const value = this.text(column);
    if (value === '') {
      if (fallback !== undefined) return fallback;
      this.fail(column, REQUIRED);
      return null;
    }
    // Most files write the list's own words: those skip the folding, which cost more than the rest of a row's checks.
    const key = Object.hasOwn(aliases, value)
      ? value
      : value
          .toLowerCase()
          .normalize('NFD')
          .replace(/\p{Diacritic}/gu, '')
          .replace(/[\s-]+/g, '_');
    // Own keys only: a cell reading "constructor" is not a word of the list.
    const found = Object.hasOwn(aliases, key) ? aliases[key] : undefined;
    if (found === undefined) {
      const allowed = [...new Set(Object.values(aliases))].join(', ');
      this.fail(
        column,
        // The values are listed in the reader's words (import.choices), not as the enumeration's codes.
        reason('import.row.notOneOf', `"${value}" is not one of ${allowed}`, { value, allowed, field: column }),
        value,
      );
      return null;
    }
    return found;
  }
}

import type { Transaction } from 'kysely';
import type { Company } from '../domain/ledger.ts';
import type { Database } from '../storage/schema.ts';
import { reason, type RowReader } from './row-reader.ts';

export type ImportContext = {
  trx: Transaction<Database>;
  company: Company;
  /** Rows in the file. */
  rows: number;
  /** False once the import is bound to be rolled back: later rows are still checked, not written. */
  write: boolean;
  /** This very file (same bytes) was imported before: rows found again are expected, not suspicious. */
  sameFileBefore: boolean;
  /**
   * Something the user should check although the row is not wrong (kept in the report): in English for logs and
   * API clients, with its catalogue key so each reader gets it in their language.
   */
  warn(line: number, message: string, code: string): void;
};

export type ChunkOutcome = { created: number; updated: number; unchanged: number };

/** One CSV format: its columns, and how a chunk of its rows is checked and written. */
export type ImportHandler = {
  required: readonly string[];
  optional: readonly string[];
  /**
   * Every id the handler writes into a reference column was read inside the import's transaction (the
   * customer of an invoice, the invoice of a payment), so the database's own foreign-key checks may be
   * skipped for the import (SQLite).
   */
  resolvesReferences?: boolean;
  /** Rows per chunk; lookups and inserts are batched per chunk. */
  chunkSize: number;
  /** Rows per chunk on PostgreSQL, where each of a chunk's lookups is a round trip and a statement to plan. */
  pgChunkSize?: number;
  begin(ctx: ImportContext): Promise<void>;
  /** Records bad values on each row's issues; writes the good rows when ctx.write. */
  chunk(ctx: ImportContext, rows: RowReader[]): Promise<ChunkOutcome>;
  /** After the last chunk of an import that commits (not called when it rolls back). */
  finish?(ctx: ImportContext): Promise<void>;
};

/** Remembers the first line of each natural key, so a repeated key names the line it repeats. */
export class SeenKeys {
  private readonly lines = new Map<string, number>();

  claim(row: RowReader, field: string, key: string): boolean {
    const first = this.lines.get(key);
    if (first !== undefined) {
      row.fail(
        field,
        reason('import.row.duplicate', `"${key}" already appears on line ${first}`, { value: key, line: first }),
        key,
      );
      return false;
    }
    this.lines.set(key, row.line);
    return true;
  }
}

/**
 * The stored fields an update may touch: those of required columns, and those of optional columns the
 * file actually has, so a file without a `siren` column does not erase the SIRENs already stored.
 */
export function fieldsInFile<T extends Record<string, unknown>>(
  values: T,
  optionalColumnOf: Record<string, string>,
  row: RowReader,
): Partial<T> {
  const kept: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T & string)[]) {
    const column = optionalColumnOf[key];
    if (column === undefined || row.has(column)) kept[key] = values[key];
  }
  return kept;
}

export function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const key of Object.keys(a)) if (a[key] !== b[key]) return false;
  return true;
}

/** The row's customer, by the code in its `customer` column; a missing or unknown code is recorded on the row. */
export function readCustomer<T>(row: RowReader, customers: ReadonlyMap<string, T>): T | undefined {
  const code = row.required('customer');
  const customer = code === '' ? undefined : customers.get(code);
  if (code !== '' && !customer) {
    row.fail(
      'customer',
      reason('import.row.noCustomer', `no customer with code "${code}" (import customers first)`, { value: code }),
      code,
    );
  }
  return customer;
}

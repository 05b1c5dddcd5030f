import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { isPdf } from '../einvoice/read-einvoice.ts';
import { readBankCsv } from './bank-csv.ts';
import { readCamt053, type BankLine } from './camt053.ts';

/** This module, for the upload thread to load (the API reads bank statements there). */
export const READ_STATEMENT_MODULE = import.meta.url;

/** A statement read: its lines, and the lines left out as unreadable (with `skipInvalid`). */
export type Statement = { format: 'camt.053' | 'csv'; lines: BankLine[]; skipped: FieldIssue[] };

/**
 * CAMT.053 when the file is XML, else a bank CSV export; a bad line rejects the file, or with `skipInvalid` is
 * left out and listed in `skipped`. More than `maxLines` lines refuse the file (the API's row limit).
 */
export function readStatementFile(
  fileName: string,
  bytes: Uint8Array,
  currency: string,
  skipInvalid: boolean,
  maxLines?: number,
): Statement {
  if (isPdf(bytes))
    throw new AppError(
      'invalid_input',
      `${fileName}: a PDF statement cannot be read; export it as CAMT.053 or CSV.`,
      [],
      { key: 'problem.bank.pdf', params: { file: fileName } },
    );
  const skipped: FieldIssue[] = [];
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart();
  const format = head.startsWith('<') ? 'camt.053' : 'csv';
  const lines =
    format === 'camt.053'
      ? readCamt053(fileName, bytes, skipInvalid ? skipped : undefined)
      : readBankCsv(fileName, bytes, currency, skipInvalid ? skipped : undefined);
  if (maxLines !== undefined && lines.length > maxLines) {
    const reason = `too many lines (the limit for one file is ${maxLines})`;
    throw new AppError(
      'invalid_input',
      `${fileName}: ${reason}.`,
      [{ field: 'file', reason, code: 'reason.tooManyLines', params: { count: maxLines } }],
      {
        key: 'problem.bank.tooManyLines',
        params: { file: fileName, count: maxLines },
      },
    );
  }
  return { format, lines, skipped };
}

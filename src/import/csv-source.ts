import { isUtf8 } from 'node:buffer';
import Papa from 'papaparse';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { LONGEST_FIELD } from '../shared/field-limits.ts';

export type Encoding = 'utf-8' | 'windows-1252';
export type Delimiter = ',' | ';';

export type DecodedText = { text: string; encoding: Encoding };

// Node 20's TextDecoder reads windows-1252 as Latin-1 (nodejs/node#56542), losing €, ’ and œ from
// 0x80-0x9F; those 32 code points are mapped here (undefined ones kept as their C1 control).
const CP1252_HIGH = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'];

/**
 * French spreadsheets still save CSV in Windows-1252; a file that is not valid UTF-8 is read that way
 * rather than refused, and the summary says so.
 */
export function decodeCsv(bytes: Uint8Array, fileName?: string): DecodedText {
  refuseUnreadableBytes(bytes, fileName);
  if (isUtf8(bytes)) {
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, encoding: 'utf-8' };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  return { text, encoding: 'windows-1252' };
}

/** Line and column (1-based, in bytes) of a byte offset, for a refusal a user can find in an editor. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Valid multi-byte UTF-8 sequences, invalid bytes, and the first invalid one's offset (-1 when none). */
function utf8Census(bytes: Uint8Array): { valid: number; invalid: number; first: number } {
  let valid = 0;
  let invalid = 0;
  let first = -1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const size = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size !== 0 && i + size <= bytes.length && isUtf8(bytes.subarray(i, i + size))) {
      valid++;
      i += size;
    } else {
      if (first === -1) first = i;
      invalid++;
      i++;
    }
  }
  return { valid, invalid, first };
}

/** Where a byte is, for the catalogue: the `inFile` form of the message names the file when it is known. */
function where(fileName: string | undefined, line: number, column: number): Record<string, string | number> {
  return fileName ? { context: 'inFile', file: fileName, line, column } : { line, column };
}

/**
 * Refuses what no spreadsheet writes and PostgreSQL cannot store: a NUL byte, and a file that is UTF-8 in
 * places (multi-byte sequences) and broken elsewhere, which is neither UTF-8 nor Windows-1252. The refusal
 * names the file (when known), the line and the column.
 */
export function refuseUnreadableBytes(bytes: Uint8Array, fileName?: string): void {
  const at = fileName ? `${fileName}: line` : 'Line';
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = position(bytes, nul);
    throw new AppError(
      'invalid_input',
      `${at} ${line}, column ${column}: the file holds a NUL byte, which no text file has.`,
      [{ line, field: `column ${column}`, reason: 'NUL byte', code: 'reason.nulByte' }],
      { key: 'problem.import.nulByte', params: where(fileName, line, column) },
    );
  }
  if (isUtf8(bytes)) return;
  // Mostly valid multi-byte sequences: a UTF-8 file with broken bytes. Otherwise Windows-1252, read as such.
  const census = utf8Census(bytes);
  if (census.valid <= census.invalid) return;
  const { line, column } = position(bytes, census.first);
  throw new AppError(
    'invalid_input',
    `${at} ${line}, column ${column}: invalid UTF-8 in a file that is otherwise UTF-8; save it again as UTF-8.`,
    [{ line, field: `column ${column}`, reason: 'invalid UTF-8', code: 'reason.invalidUtf8' }],
    { key: 'problem.import.badUtf8', params: where(fileName, line, column) },
  );
}

/** The header line names columns only, so whichever of `;` and `,` it uses is the file's separator. */
export function detectDelimiter(text: string): Delimiter {
  const end = text.indexOf('\n');
  const header = end === -1 ? text : text.slice(0, end);
  let commas = 0;
  let semicolons = 0;
  for (const ch of header) {
    if (ch === ',') commas++;
    else if (ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

export type CsvRowHandler = (values: string[], line: number) => void;

export type CsvScan = {
  headers: string[];
  delimiter: Delimiter;
  /** A problem that stops the reading of the file (broken quoting); rows before it were delivered. */
  fatal: FieldIssue | null;
};

/**
 * Streams the rows of a CSV text to `onRow` with the physical line where each row starts, which is
 * what a user sees in an editor (a quoted cell may span lines).
 */
export function scanCsv(text: string, onRow: CsvRowHandler, limits: { maxRows?: number } = {}): CsvScan {
  let rows = 0;
  const delimiter = detectDelimiter(text);
  let headers: string[] | null = null;
  let fatal: FieldIssue | null = null;
  /** Takes one row read at `line`; false once the reading must stop. */
  const take = (row: string[], line: number): boolean => {
    // Cells longer than any field may be are cut just past that length as they stream by, so a file of
    // huge cells does not sit in memory; the row reader then refuses them as too long, naming line and column.
    const values = row.some((v) => v.length > LONGEST_FIELD)
      ? row.map((v) => (v.length > LONGEST_FIELD ? v.slice(0, LONGEST_FIELD + 1) : v))
      : row;
    if (headers === null) headers = values;
    else if (limits.maxRows !== undefined && ++rows > limits.maxRows) {
      fatal = {
        line,
        field: '(file)',
        reason: `more than ${limits.maxRows} rows (the limit for one file)`,
        code: 'reason.tooManyRows',
        params: { count: limits.maxRows },
      };
      return false;
    } else onRow(values, line);
    return true;
  };
  if (!scanUnquoted(text, delimiter, take)) {
    let line = 1;
    let scanned = 0;
    const advanceTo = (offset: number) => {
      let at = text.indexOf('\n', scanned);
      while (at !== -1 && at < offset) {
        line++;
        at = text.indexOf('\n', at + 1);
      }
      scanned = offset;
    };
    let rowStart = 0;
    // Lines of blanks and delimiters only, which the parser drops ('greedy').
    const blankLines = new RegExp(`(?:(?:[^\\S\\n]|${delimiter})*\\n)*`, 'y');
    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: 'greedy',
      step: (result) => {
        if (fatal) return;
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        // Blank lines dropped by the parser sit between the previous row's end and this row's start.
        blankLines.lastIndex = rowStart;
        if (blankLines.exec(text)) rowStart = blankLines.lastIndex;
        advanceTo(rowStart);
        if (quoteError) {
          fatal = {
            line,
            field: '(file)',
            reason: `badly quoted cell: ${quoteError.message}`,
            // The parser's own words are English: a person reads what its code means.
            code: QUOTE_REASONS[quoteError.code] ?? 'reason.badQuote',
            params: { detail: quoteError.message },
          };
          return;
        }
        if (take(result.data, line)) rowStart = result.meta.cursor;
      },
    });
  }
  return { headers: headers ?? [], delimiter, fatal };
}

/** Papa Parse's quote errors as catalogue reasons (`reason.csv.*`); another one says the parser's words. */
const QUOTE_REASONS: Partial<Record<string, string>> = {
  MissingQuotes: 'reason.csv.missingQuotes',
  InvalidQuotes: 'reason.csv.invalidQuotes',
};

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

/** Where the rows of a file lie in its text, the header first: row i is `text.slice(starts[i], ends[i])`. */
export type RowSpans = { starts: number[]; ends: number[]; lines: number[] };

const SPACE = /\s/;

/** Whether text[start, end) holds only blanks and delimiters: Papa's 'greedy' skipping, which makes it no row. */
function blankLine(text: string, start: number, end: number, delimiter: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === delimiter || c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !SPACE.test(text[i]!)) return false;
  }
  return true;
}

/**
 * A file without any double quote has no quoted cell: each line is a row and each delimiter ends a cell, as
 * Papa Parse reads it too (its "fast mode"). Finding the lines here leaves out the parser's result object per row,
 * which cost more than the rest of reading an export (measured: 200 ms of 1.7 s for 50,000 invoices).
 * Returns null, having read nothing, for a file that needs the full parser: quotes, or line ends that are
 * neither all LF nor all CRLF.
 */
export function unquotedRows(text: string, delimiter: Delimiter): RowSpans | null {
  if (text.includes('"')) return null;
  let crlf = false;
  if (text.includes('\r')) {
    const pairs = occurrences(text, '\r\n');
    if (occurrences(text, '\r') !== pairs || occurrences(text, '\n') !== pairs) return null;
    crlf = true;
  }
  const spans: RowSpans = { starts: [], ends: [], lines: [] };
  const separator = delimiter.charCodeAt(0);
  for (let start = 0, line = 1; start <= text.length; line++) {
    let next = text.indexOf('\n', start);
    if (next === -1) next = text.length;
    const end = crlf && next < text.length ? next - 1 : next;
    if (!blankLine(text, start, end, separator)) {
      spans.starts.push(start);
      spans.ends.push(end);
      spans.lines.push(line);
    }
    start = next + 1;
  }
  return spans;
}

function scanUnquoted(text: string, delimiter: Delimiter, take: (row: string[], line: number) => boolean): boolean {
  const spans = unquotedRows(text, delimiter);
  if (!spans) return false;
  for (let i = 0; i < spans.starts.length; i++) {
    if (!take(text.slice(spans.starts[i], spans.ends[i]).split(delimiter), spans.lines[i]!)) break;
  }
  return true;
}

/** Canonical header form: `Due date`, `due-date` and ` DUE_DATE ` all name `due_date`. */
export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/^\[|\]$/g, '');
}

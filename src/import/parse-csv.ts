import type { FieldIssue } from '../shared/errors.ts';
import { LONGEST_FIELD } from '../shared/field-limits.ts';
import { decodeCsv, detectDelimiter, scanCsv, unquotedRows, type Delimiter, type Encoding } from './csv-source.ts';

/** This module, for the upload thread to load (the API parses CSV files there). */
export const PARSE_CSV_MODULE = import.meta.url;

/**
 * A CSV file read, as one string and arrays of numbers: that crosses from the upload thread as one string copied
 * and a few buffers moved, where a million rows of arrays would hold the receiving thread for a noticeable time
 * while they are rebuilt.
 */
export type ParsedCsv = {
  encoding: Encoding;
  delimiter: Delimiter;
  headers: string[];
  /** A problem that stops the reading of the file (broken quoting, too many rows); rows before it are kept. */
  fatal: FieldIssue | null;
  /** The data rows: row i is `cells.slice(starts[i], ends[i])`, its cells separated by `separator`. */
  cells: string;
  /**
   * A file without quotes keeps its own text and delimiter; cells read by the full parser are each followed by a
   * NUL (a character a readable file never holds: it is refused).
   */
  separator: string;
  starts: Uint32Array;
  ends: Uint32Array;
  /** The line where each data row starts. */
  lines: Uint32Array;
};

/**
 * Decodes and scans a CSV file: a NUL byte or broken UTF-8 is refused with line and column, cells longer than
 * any field are cut just past that length, rows beyond `maxRows` stop the reading (`fatal`).
 */
export function parseCsv(bytes: Uint8Array, fileName: string, maxRows?: number): ParsedCsv {
  const { text, encoding } = decodeCsv(bytes, fileName);
  const separator = detectDelimiter(text);
  const spans = unquotedRows(text, separator);
  // Rows no longer than a cell may be cannot hold a cell to cut: the text itself is the rows' storage.
  if (spans && spans.starts.every((start, i) => spans.ends[i]! - start <= LONGEST_FIELD)) {
    const rows = spans.starts.length - 1;
    const kept = maxRows === undefined ? rows : Math.min(rows, maxRows);
    return {
      encoding,
      delimiter: separator,
      headers: rows < 0 ? [] : text.slice(spans.starts[0], spans.ends[0]).split(separator),
      fatal:
        kept < rows
          ? {
              line: spans.lines[kept + 1]!,
              field: '(file)',
              reason: `more than ${maxRows} rows (the limit for one file)`,
              code: 'reason.tooManyRows',
              params: { count: maxRows! },
            }
          : null,
      cells: text,
      separator,
      starts: Uint32Array.from(spans.starts.slice(1, kept + 1)),
      ends: Uint32Array.from(spans.ends.slice(1, kept + 1)),
      lines: Uint32Array.from(spans.lines.slice(1, kept + 1)),
    };
  }
  // One string per row, joined once at the end: pushing each cell and joining those cost as much as the scan.
  const rows: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const lines: number[] = [];
  let offset = 0;
  const scan = scanCsv(
    text,
    (values, line) => {
      const row = values.join('\u0000');
      rows.push(row);
      starts.push(offset);
      offset += row.length;
      ends.push(offset);
      offset += 1;
      lines.push(line);
    },
    { maxRows },
  );
  return {
    encoding,
    delimiter: scan.delimiter,
    headers: scan.headers,
    fatal: scan.fatal,
    cells: rows.join('\u0000'),
    separator: '\u0000',
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
    lines: Uint32Array.from(lines),
  };
}

/** The data rows of a parsed file, handed out a chunk at a time (only the rows being checked exist as arrays). */
export class CsvRows {
  private row = 0;

  constructor(private readonly parsed: ParsedCsv) {}

  get count(): number {
    return this.parsed.starts.length;
  }

  take(count: number): { values: string[]; line: number }[] {
    const taken: { values: string[]; line: number }[] = [];
    const { cells, separator, starts, ends, lines } = this.parsed;
    for (; taken.length < count && this.row < starts.length; this.row++) {
      taken.push({ values: cells.slice(starts[this.row], ends[this.row]).split(separator), line: lines[this.row]! });
    }
    return taken;
  }
}

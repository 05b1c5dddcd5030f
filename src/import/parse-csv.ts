import type { FieldIssue } from '../shared/errors.ts';
import { decodeCsv, scanCsv, type Delimiter, type Encoding } from './csv-source.ts';

/** This module, for the upload thread to load (the API parses CSV files there). */
export const PARSE_CSV_MODULE = import.meta.url;

/**
 * A CSV file read, as one string of cells and two arrays of numbers: that crosses from the upload thread as one
 * string copied and two buffers moved, where a million rows of arrays would hold the receiving thread for a
 * noticeable time while they are rebuilt.
 */
export type ParsedCsv = {
  encoding: Encoding;
  delimiter: Delimiter;
  headers: string[];
  /** A problem that stops the reading of the file (broken quoting, too many rows); rows before it are kept. */
  fatal: FieldIssue | null;
  /** Every data cell in order, each followed by a NUL (a character a readable file never holds: it is refused). */
  cells: string;
  /** How many cells each data row has. */
  widths: Uint32Array;
  /** The line where each data row starts. */
  lines: Uint32Array;
};

/**
 * Decodes and scans a CSV file: a NUL byte or broken UTF-8 is refused with line and column, cells longer than
 * any field are cut just past that length, rows beyond `maxRows` stop the reading (`fatal`).
 */
export function parseCsv(bytes: Uint8Array, fileName: string, maxRows?: number): ParsedCsv {
  const { text, encoding } = decodeCsv(bytes, fileName);
  // One string per row, joined once at the end: pushing each cell and joining those cost as much as the scan.
  const rows: string[] = [];
  const widths: number[] = [];
  const lines: number[] = [];
  const scan = scanCsv(
    text,
    (values, line) => {
      rows.push(values.join('\u0000'));
      widths.push(values.length);
      lines.push(line);
    },
    { maxRows },
  );
  return {
    encoding,
    delimiter: scan.delimiter,
    headers: scan.headers,
    fatal: scan.fatal,
    cells: rows.length === 0 ? '' : `${rows.join('\u0000')}\u0000`,
    widths: Uint32Array.from(widths),
    lines: Uint32Array.from(lines),
  };
}

/** The data rows of a parsed file, handed out a chunk at a time (only the rows being checked exist as arrays). */
export class CsvRows {
  private row = 0;
  private offset = 0;

  constructor(private readonly parsed: ParsedCsv) {}

  get count(): number {
    return this.parsed.widths.length;
  }

  take(count: number): { values: string[]; line: number }[] {
    const taken: { values: string[]; line: number }[] = [];
    const { cells, widths, lines } = this.parsed;
    for (; taken.length < count && this.row < widths.length; this.row++) {
      const values: string[] = [];
      for (let i = 0; i < widths[this.row]!; i++) {
        const end = cells.indexOf('\u0000', this.offset);
        values.push(cells.slice(this.offset, end));
        this.offset = end + 1;
      }
      taken.push({ values, line: lines[this.row]! });
    }
    return taken;
  }
}

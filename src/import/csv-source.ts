import { isUtf8 } from 'node:buffer';
import Papa from 'papaparse';
import type { FieldIssue } from '../shared/errors.ts';

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
export function decodeCsv(bytes: Uint8Array): DecodedText {
  if (isUtf8(bytes)) {
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, encoding: 'utf-8' };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  return { text, encoding: 'windows-1252' };
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

const BLANK_LINES = /(?:[ \t]*\r?\n)*/y;

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
export function scanCsv(text: string, onRow: CsvRowHandler): CsvScan {
  const delimiter = detectDelimiter(text);
  let headers: string[] | null = null;
  let fatal: FieldIssue | null = null;
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
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: 'greedy',
    step: (result) => {
      if (fatal) return;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      // Blank lines dropped by the parser sit between the previous row's end and this row's start.
      BLANK_LINES.lastIndex = rowStart;
      if (BLANK_LINES.exec(text)) rowStart = BLANK_LINES.lastIndex;
      advanceTo(rowStart);
      if (quoteError) {
        fatal = { line, field: '(file)', reason: `badly quoted cell: ${quoteError.message}` };
        return;
      }
      if (headers === null) headers = result.data;
      else onRow(result.data, line);
      rowStart = result.meta.cursor;
    },
  });
  return { headers: headers ?? [], delimiter, fatal };
}

/** Canonical header form: `Due date`, `due-date` and ` DUE_DATE ` all name `due_date`. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/^\[|\]$/g, '');
}

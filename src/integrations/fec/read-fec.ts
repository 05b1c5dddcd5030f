import Papa from 'papaparse';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { parseDate, type IsoDate } from '../../domain/calendar.ts';
import { parseAmount, type Cents } from '../../domain/money.ts';
import { decodeCsv } from '../../import/csv-source.ts';

/** The 18 columns of the Fichier des Écritures Comptables (article A47 A-1 du LPF), in order. */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export type FecLine = {
  line: number;
  journal: string;
  journalLabel: string;
  entryNumber: string;
  entryDate: IsoDate;
  account: string;
  accountLabel: string;
  auxAccount: string;
  auxLabel: string;
  pieceRef: string;
  pieceDate: IsoDate | null;
  label: string;
  debit: Cents;
  credit: Cents;
  lettering: string;
  letteringDate: IsoDate | null;
  foreignAmount: Cents | null;
  foreignCurrency: string | null;
};

/** FEC dates are `AAAAMMJJ`; some tools write `JJ/MM/AAAA` or `AAAA-MM-JJ`, which are read too. */
function fecDate(text: string): ReturnType<typeof parseDate> {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  return parseDate(compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text);
}

/**
 * Reads a FEC: `|` or tab separated (the two the law allows), UTF-8 or Windows-1252, the 18 columns in
 * the legal order with their header. Every bad cell is reported with its line and column; nothing is
 * returned unless all lines are good, unless `skipInvalid` (then the bad lines are left out and listed).
 */
export function readFec(
  fileName: string,
  bytes: Uint8Array,
  options: { skipInvalid?: boolean } = {},
): { lines: FecLine[]; issues: FieldIssue[]; separator: '|' | 'tab' } {
  const { text } = decodeCsv(bytes, fileName);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes('|') ? '|' : null;
  if (!delimiter)
    throw new AppError('invalid_input', `${fileName}: not a FEC (the header is neither "|" nor tab separated).`, [], {
      key: 'problem.fec.separator',
      params: { file: fileName },
    });
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: 'greedy', quoteChar: '\u0000' });
  const [header, ...rows] = parsed.data;
  const names = (header ?? []).map((h) => h.trim().replace(/^\uFEFF/, ''));
  const wrong = FEC_COLUMNS.findIndex((c, i) => names[i]?.toLowerCase() !== c.toLowerCase());
  if (names.length < 18 || wrong >= 0) {
    throw new AppError(
      'invalid_input',
      `${fileName}: not a FEC: column ${wrong + 1} of the header should be ` +
        `${FEC_COLUMNS[wrong] ?? FEC_COLUMNS[0]}, found "${names[wrong] ?? ''}".`,
      [
        {
          line: 1,
          field: FEC_COLUMNS[wrong] ?? 'header',
          reason: 'unexpected column',
          code: 'reason.unexpectedColumn',
        },
      ],
      {
        key: 'problem.fec.column',
        params: {
          file: fileName,
          column: wrong + 1,
          expected: FEC_COLUMNS[wrong] ?? FEC_COLUMNS[0],
          found: names[wrong] ?? '',
        },
      },
    );
  }
  const issues: FieldIssue[] = [];
  const lines: FecLine[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    const before = issues.length;
    if (cells.length < 18) {
      issues.push({
        line,
        field: '(line)',
        reason: `${cells.length} columns instead of 18`,
        code: 'reason.columnCount',
        params: { count: cells.length },
      });
      return;
    }
    const cell = (name: (typeof FEC_COLUMNS)[number]) => (cells[FEC_COLUMNS.indexOf(name)] ?? '').trim();
    const date = (name: (typeof FEC_COLUMNS)[number], required: boolean): IsoDate | null => {
      const value = cell(name);
      if (value === '') {
        if (required) issues.push({ line, field: name, reason: 'is empty', code: 'parse.empty' });
        return null;
      }
      const result = fecDate(value);
      if (!result.ok)
        issues.push({ line, field: name, reason: result.reason, code: result.code, params: result.params });
      return result.ok ? result.value : null;
    };
    const amount = (name: 'Debit' | 'Credit' | 'Montantdevise', currency = 'EUR'): Cents => {
      const value = cell(name);
      if (value === '') return 0;
      const result = parseAmount(value, currency);
      if (!result.ok)
        issues.push({ line, field: name, reason: result.reason, code: result.code, params: result.params });
      else if (result.value < 0 && name !== 'Montantdevise')
        issues.push({ line, field: name, reason: 'is negative', code: 'import.row.negative' });
      return result.ok ? result.value : 0;
    };
    const entryDate = date('EcritureDate', true);
    const pieceDate = date('PieceDate', false);
    const letteringDate = date('DateLet', false);
    const debit = amount('Debit');
    const credit = amount('Credit');
    if (cell('CompteNum') === '') issues.push({ line, field: 'CompteNum', reason: 'is empty', code: 'parse.empty' });
    let foreignCurrency = cell('Idevise').toUpperCase() || null;
    // Checked before use: an amount formatted in a malformed code would throw a RangeError, not report the cell.
    if (foreignCurrency && !/^[A-Z]{3}$/.test(foreignCurrency)) {
      issues.push({
        line,
        field: 'Idevise',
        value: foreignCurrency,
        reason: 'is not a three-letter currency code',
        code: 'reason.notCurrencyCode',
      });
      foreignCurrency = null;
    }
    const foreignAmount =
      foreignCurrency && cell('Montantdevise') !== '' ? Math.abs(amount('Montantdevise', foreignCurrency)) : null;
    if (issues.length > before) return;
    lines.push({
      line,
      journal: cell('JournalCode'),
      journalLabel: cell('JournalLib'),
      entryNumber: cell('EcritureNum'),
      entryDate: entryDate!,
      account: cell('CompteNum'),
      accountLabel: cell('CompteLib'),
      auxAccount: cell('CompAuxNum'),
      auxLabel: cell('CompAuxLib'),
      pieceRef: cell('PieceRef'),
      pieceDate,
      label: cell('EcritureLib'),
      debit,
      credit,
      lettering: cell('EcritureLet'),
      letteringDate,
      foreignAmount,
      foreignCurrency,
    });
  });
  if (issues.length > 0 && !options.skipInvalid) {
    throw new AppError(
      'invalid_input',
      `${fileName}: ${issues.length} bad ${issues.length === 1 ? 'cell' : 'cells'}; nothing was imported.`,
      issues,
      { key: 'problem.fec.badCells', params: { file: fileName, count: issues.length } },
    );
  }
  return { lines, issues, separator: delimiter === '|' ? '|' : 'tab' };
}

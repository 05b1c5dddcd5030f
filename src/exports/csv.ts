import { minorDigits } from '../domain/money.ts';
import { isMoney, type Cell, type Column, type ReportDocument } from './table.ts';

/**
 * A spreadsheet runs a cell that starts with = + - @ (and tab or carriage return, which some strip
 * first) as a formula: `=HYPERLINK(…)` in a customer's name would become a link or worse. Such text is
 * written with a leading apostrophe, which Excel and LibreOffice show as plain text (OWASP "CSV
 * injection"). Numbers written here are ours, never escaped, so -12,50 stays a number.
 */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quote(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim()
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

function decimal(value: number, digits: number, language: 'fr' | 'en'): string {
  const text = value.toFixed(digits);
  return language === 'fr' ? text.replace('.', ',') : text;
}

function cellText(cell: Cell, column: Column, language: 'fr' | 'en'): string {
  if (cell === null || cell === '') return '';
  if (isMoney(cell)) {
    const digits = minorDigits(cell.currency);
    return decimal(cell.cents / 10 ** digits, digits, language);
  }
  if (typeof cell === 'number') {
    if (column.kind === 'percent') return decimal(cell * 100, 1, language);
    return Number.isInteger(cell) ? String(cell) : decimal(cell, 1, language);
  }
  if (column.kind === 'date' && language === 'fr' && /^\d{4}-\d{2}-\d{2}$/.test(cell)) {
    const [y, m, d] = cell.split('-');
    return `${d}/${m}/${y}`;
  }
  return escapeFormula(cell);
}

/**
 * CSV as French Excel opens it with a double click: UTF-8 with a BOM (else accents break), `;` between
 * fields (`,` is the decimal separator), dates DD/MM/YYYY, amounts 1234,56, CRLF line ends. English uses
 * `,` and `.`. Several tables follow one another, each after its title line and a blank line.
 */
export function toCsv(document: ReportDocument): Buffer {
  const language = document.language;
  const separator = language === 'fr' ? ';' : ',';
  const lines: string[] = [];
  document.tables.forEach((table, index) => {
    if (document.tables.length > 1) {
      if (index > 0) lines.push('');
      lines.push(quote(escapeFormula(table.title), separator));
    }
    lines.push(table.columns.map((c) => quote(escapeFormula(c.header), separator)).join(separator));
    for (const row of table.rows)
      lines.push(table.columns.map((c, i) => quote(cellText(row[i] ?? null, c, language), separator)).join(separator));
  });
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

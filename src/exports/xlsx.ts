import type ExcelJS from 'exceljs';
import { minorDigits } from '../domain/money.ts';
import { isMoney, type Cell, type Column, type ReportDocument } from './table.ts';

const FORMATS: Partial<Record<Column['kind'], string>> = {
  date: 'dd/mm/yyyy',
  count: '0',
  number: '0.0',
  percent: '0.0%',
};

function value(cell: Cell, column: Column): ExcelJS.CellValue {
  if (cell === null) return null;
  if (isMoney(cell)) return cell.cents / 10 ** minorDigits(cell.currency);
  // A string is stored as text, never as a formula (exceljs writes a formula only from { formula }), so a
  // customer named "=HYPERLINK(…)" stays text without the CSV's apostrophe.
  if (column.kind === 'date' && typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(cell))
    return new Date(`${cell}T00:00:00Z`);
  return cell;
}

/** One sheet per table: bold frozen header with filters, real numbers, dates and percentages, totals in bold. */
export async function toXlsx(document: ReportDocument): Promise<Buffer> {
  // Loaded on the first spreadsheet: exceljs is the heaviest module of the server and of the CLI's report
  // commands, and most of their uses never write a spreadsheet.
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  workbook.creator = 'relance';
  workbook.created = new Date(`${document.date}T00:00:00Z`);
  workbook.modified = workbook.created;
  workbook.title = document.title;
  const names = new Set<string>();
  for (const table of document.tables) {
    let name =
      table.title
        .replace(/[[\]:*?/\\]/g, ' ')
        .slice(0, 31)
        .trim() || 'Sheet';
    for (let n = 2; names.has(name); n++) name = `${name.slice(0, 28)} ${n}`;
    names.add(name);
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => ({
      header: c.header,
      width: Math.max(10, Math.min(40, c.header.length + 4)),
    }));
    sheet.getRow(1).font = { bold: true };
    table.rows.forEach((row, r) => {
      const added = sheet.addRow(table.columns.map((c, i) => value(row[i] ?? null, c)));
      if (r >= table.rows.length - (table.totalRows ?? 0)) added.font = { bold: true };
    });
    table.columns.forEach((c, i) => {
      const moneyDigits = table.rows.map((row) => row[i] ?? null).find(isMoney);
      const format =
        c.kind === 'money'
          ? moneyDigits && minorDigits(moneyDigits.currency) === 0
            ? '#,##0'
            : '#,##0.00'
          : FORMATS[c.kind];
      if (format) sheet.getColumn(i + 1).numFmt = format;
      if (c.kind === 'text') {
        const longest = table.rows
          .slice(0, 500)
          .reduce((max, row) => Math.max(max, String(row[i] ?? '').length), c.header.length);
        sheet.getColumn(i + 1).width = Math.min(40, Math.max(12, longest + 2));
      }
    });
    if (table.columns.length > 0)
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

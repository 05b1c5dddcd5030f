import { BOLD, REGULAR } from './fonts.ts';
import { line, type Pdf } from './pdf-document.ts';

export type Column = { header: string; width: number; align?: 'left' | 'right' };

/** Where content may go on the current page, and how to start the next one (returns its first free y). */
export type Flow = { bottom: number; newPage(): number };

const ROW = 13;
const PAD = 3;

function header(doc: Pdf, x: number, y: number, columns: Column[], size: number): number {
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  doc.save().rect(x, y, width, ROW + 1).fillColor('#e8ecf1').fill().restore();
  doc.fillColor('#1f2a37');
  drawCells(doc, x, y + 3, columns, columns.map((c) => c.header), BOLD, size);
  return y + ROW + 1;
}

function drawCells(doc: Pdf, x: number, y: number, columns: Column[], cells: string[], font: string, size: number): void {
  let left = x;
  columns.forEach((column, i) => {
    const text = cells[i] ?? '';
    const maxWidth = column.width - 2 * PAD;
    if (column.align === 'right') line(doc, text, left + column.width - PAD, y, { font, size, align: 'right', maxWidth });
    else if (text !== '') line(doc, text, left + PAD, y, { font, size, maxWidth });
    left += column.width;
  });
}

/**
 * Draws rows under a header; a row that would cross the bottom goes to a new page, where the header is
 * drawn again. Returns the y below the table.
 */
export function drawTable(doc: Pdf, x: number, y: number, columns: Column[], rows: string[][], flow: Flow,
  options: { size?: number; boldLast?: boolean } = {}): number {
  const size = options.size ?? 8.5;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  if (y + 2 * ROW > flow.bottom) y = flow.newPage();
  y = header(doc, x, y, columns, size);
  rows.forEach((cells, index) => {
    if (y + ROW > flow.bottom) y = header(doc, x, flow.newPage(), columns, size);
    const bold = options.boldLast === true && index === rows.length - 1;
    doc.fillColor('#111111');
    drawCells(doc, x, y + 3, columns, cells, bold ? BOLD : REGULAR, size);
    y += ROW;
    doc.save().moveTo(x, y).lineTo(x + width, y).lineWidth(0.4).strokeColor('#c9d1db').stroke().restore();
  });
  return y;
}

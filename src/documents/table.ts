import { BOLD, REGULAR } from './fonts.ts';
import { line, type Pdf } from './pdf-document.ts';

export type Column = { header: string; width: number; align?: 'left' | 'right' };

/** Where content may go on the current page, and how to start the next one (returns its first free y). */
export type Flow = { bottom: number; newPage(): number };

const ROW = 13;
const PAD = 3;

function header(doc: Pdf, x: number, y: number, columns: Column[], size: number): number {
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  doc
    .save()
    .rect(x, y, width, ROW + 1)
    .fillColor('#e8ecf1')
    .fill()
    .restore();
  doc.fillColor('#1f2a37');
  drawCells(
    doc,
    x,
    y + 3,
    columns,
    columns.map((c) => c.header),
    BOLD,
    size,
  );
  return y + ROW + 1;
}

function drawCells(
  doc: Pdf,
  x: number,
  y: number,
  columns: Column[],
  cells: string[],
  font: string,
  size: number,
): void {
  let left = x;
  columns.forEach((column, i) => {
    const text = cells[i] ?? '';
    const maxWidth = column.width - 2 * PAD;
    if (column.align === 'right')
      line(doc, text, left + column.width - PAD, y, { font, size, align: 'right', maxWidth });
    else if (text !== '') line(doc, text, left + PAD, y, { font, size, maxWidth });
    left += column.width;
  });
}

const MIN_TEXT = 36;
const MIN_SIZE = 5;

function widest(doc: Pdf, texts: string[], font: string, size: number): number {
  doc.font(font).fontSize(size);
  let max = 0;
  const seen = new Set<string>();
  for (const text of texts) {
    if (seen.has(text)) continue;
    seen.add(text);
    max = Math.max(max, doc.widthOfString(text));
  }
  return max + 2 * PAD;
}

/**
 * Column widths from the content, within the table's width: every column gets what its widest cell needs
 * when it all fits, the spare room going by the caller's proportions. When it does not, figures
 * (right-aligned columns) keep their full width and text columns share what is left, shortened with "…";
 * when even the figures do not fit, the type gets smaller. A figure is never cut.
 */
export function sizeColumns(
  doc: Pdf,
  columns: Column[],
  rows: string[][],
  size: number,
  bold: boolean,
): { columns: Column[]; size: number } {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  for (let current = size; ; current = Math.max(MIN_SIZE, current - 0.5)) {
    const cells = (i: number) => rows.map((r) => r[i] ?? '');
    const body = columns.map((_, i) => widest(doc, cells(i), bold ? BOLD : REGULAR, current));
    const head = columns.map((c) => widest(doc, [c.header], BOLD, current));
    const natural = body.map((w, i) => Math.max(w, head[i]!));
    const naturalSum = natural.reduce((a, b) => a + b, 0);
    if (naturalSum <= total) {
      const spare = total - naturalSum;
      return {
        size: current,
        columns: columns.map((c, i) => ({ ...c, width: natural[i]! + (spare * c.width) / total })),
      };
    }
    const figures = columns.map((c, i) => (c.align === 'right' ? body[i]! : 0));
    const figuresSum = figures.reduce((a, b) => a + b, 0);
    const texts = columns.map((c, i) => (c.align === 'right' ? 0 : natural[i]!));
    const textCount = texts.filter((w) => w > 0).length;
    const room = total - figuresSum;
    if (room >= textCount * MIN_TEXT || current === MIN_SIZE) {
      // Text columns share the room in proportion to what they would need, none below MIN_TEXT.
      const textSum = texts.reduce((a, b) => a + b, 0);
      const widths = columns.map((c, i) =>
        c.align === 'right'
          ? figures[i]!
          : Math.max(Math.min(MIN_TEXT, texts[i]!), (Math.max(0, room) * texts[i]!) / Math.max(1, textSum)),
      );
      const scale = total / widths.reduce((a, b) => a + b, 0);
      const fitted = scale < 1 ? widths.map((w, i) => (columns[i]!.align === 'right' ? w : w * scale)) : widths;
      return { size: current, columns: columns.map((c, i) => ({ ...c, width: fitted[i]! })) };
    }
  }
}

/**
 * Draws rows under a header; a row that would cross the bottom goes to a new page, where the header is
 * drawn again. Returns the y below the table.
 */
export function drawTable(
  doc: Pdf,
  x: number,
  y: number,
  columns: Column[],
  rows: string[][],
  flow: Flow,
  options: { size?: number; boldLast?: boolean } = {},
): number {
  const sized = sizeColumns(doc, columns, rows, options.size ?? 8.5, options.boldLast === true);
  const size = sized.size;
  columns = sized.columns;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  if (y + 2 * ROW > flow.bottom) y = flow.newPage();
  y = header(doc, x, y, columns, size);
  rows.forEach((cells, index) => {
    if (y + ROW > flow.bottom) y = header(doc, x, flow.newPage(), columns, size);
    const bold = options.boldLast === true && index === rows.length - 1;
    doc.fillColor('#111111');
    drawCells(doc, x, y + 3, columns, cells, bold ? BOLD : REGULAR, size);
    y += ROW;
    doc
      .save()
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(0.4)
      .strokeColor('#c9d1db')
      .stroke()
      .restore();
  });
  return y;
}

import { BOLD, REGULAR } from './fonts.ts';
import { line, type Pdf } from './pdf-document.ts';

export type Column = { header: string; width: number; align?: 'left' | 'right' };

/** Where content may go on the current page, and how to start the next one (returns its first free y). */
export type Flow = { bottom: number; newPage(): number };

const ROW = 13;
const PAD = 3;

function header(doc: Pdf, x: number, y: number, columns: Column[], size: number, wrap: boolean): number {
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const height = wrap
    ? rowHeight(
        doc,
        columns,
        columns.map((c) => c.header),
        BOLD,
        size,
        () => true,
      ) + 1
    : ROW + 1;
  doc.save().rect(x, y, width, height).fillColor('#e8ecf1').fill().restore();
  doc.fillColor('#1f2a37');
  drawCells(
    doc,
    x,
    y + 3,
    columns,
    columns.map((c) => c.header),
    BOLD,
    size,
    wrap ? () => true : undefined,
  );
  return y + height;
}

/** The height of a row whose wrapped cells (those `wraps` says) take as many lines as they need. */
function rowHeight(
  doc: Pdf,
  columns: Column[],
  cells: string[],
  font: string,
  size: number,
  wraps: (column: Column) => boolean,
): number {
  doc.font(font).fontSize(size);
  let height = ROW;
  columns.forEach((column, i) => {
    const text = cells[i] ?? '';
    if (text === '' || !wraps(column)) return;
    height = Math.max(height, doc.heightOfString(text, { width: column.width - 2 * PAD, lineGap: 0 }) + 4);
  });
  return height;
}

function drawCells(
  doc: Pdf,
  x: number,
  y: number,
  columns: Column[],
  cells: string[],
  font: string,
  size: number,
  wraps?: (column: Column) => boolean,
): void {
  let left = x;
  columns.forEach((column, i) => {
    const text = cells[i] ?? '';
    const maxWidth = column.width - 2 * PAD;
    if (wraps?.(column) && text !== '') {
      doc
        .font(font)
        .fontSize(size)
        .text(text, left + PAD, y, { width: maxWidth, lineGap: 0, align: column.align });
    } else if (column.align === 'right')
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

/** The widest single word of the texts: a wrapped column narrower than it would split a word (a number, a date). */
function widestWord(doc: Pdf, texts: string[], font: string, size: number): number {
  return widest(
    doc,
    texts.flatMap((text) => text.split(/\s+/)),
    font,
    size,
  );
}

/**
 * Column widths from the content, within the table's width: every column gets what its widest cell needs
 * when it all fits, the spare room going by the caller's proportions. When it does not, figures
 * (right-aligned columns) keep their full width on one line and text and headers wrap onto more lines, no
 * column narrower than its widest word; the type gets smaller until that fits, and only at the smallest
 * type does text give way with "…". A figure is never cut.
 */
export function sizeColumns(
  doc: Pdf,
  columns: Column[],
  rows: string[][],
  size: number,
  bold: boolean,
): { columns: Column[]; size: number; wrap: boolean } {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const font = bold ? BOLD : REGULAR;
  for (let current = size; ; current = Math.max(MIN_SIZE, current - 0.5)) {
    const cells = (i: number) => rows.map((r) => r[i] ?? '');
    const body = columns.map((_, i) => widest(doc, cells(i), font, current));
    const head = columns.map((c) => widest(doc, [c.header], BOLD, current));
    const natural = body.map((w, i) => Math.max(w, head[i]!));
    const naturalSum = natural.reduce((a, b) => a + b, 0);
    if (naturalSum <= total) {
      const spare = total - naturalSum;
      return {
        size: current,
        wrap: false,
        columns: columns.map((c, i) => ({ ...c, width: natural[i]! + (spare * c.width) / total })),
      };
    }
    // Too wide on one line: headers and text wrap onto more lines, figures keep one line, and no column is
    // narrower than its widest word (an invoice number, a date, a figure's header word is never split).
    const headWord = columns.map((c) => widestWord(doc, [c.header], BOLD, current));
    const least = columns.map((c, i) =>
      c.align === 'right'
        ? Math.max(body[i]!, headWord[i]!)
        : Math.max(widestWord(doc, cells(i), font, current), headWord[i]!),
    );
    const leastSum = least.reduce((a, b) => a + b, 0);
    if (leastSum <= total) {
      const give = columns.map((c, i) => (c.align === 'right' ? 0 : Math.max(0, natural[i]! - least[i]!)));
      const giveSum = give.reduce((a, b) => a + b, 0);
      const room = total - leastSum;
      return {
        size: current,
        wrap: true,
        columns: columns.map((c, i) => ({
          ...c,
          width: least[i]! + (giveSum > 0 ? (room * give[i]!) / giveSum : (room * c.width) / total),
        })),
      };
    }
    if (current > MIN_SIZE) continue;
    // Even the smallest type cannot hold every word: figures stay whole, text gives way with "…".
    const figures = columns.map((c, i) => (c.align === 'right' ? body[i]! : 0));
    const figuresSum = figures.reduce((a, b) => a + b, 0);
    const texts = columns.map((c, i) => (c.align === 'right' ? 0 : natural[i]!));
    const room = total - figuresSum;
    const textSum = texts.reduce((a, b) => a + b, 0);
    const widths = columns.map((c, i) =>
      c.align === 'right'
        ? figures[i]!
        : Math.max(Math.min(MIN_TEXT, texts[i]!), (Math.max(0, room) * texts[i]!) / Math.max(1, textSum)),
    );
    const scale = total / widths.reduce((a, b) => a + b, 0);
    const fitted = scale < 1 ? widths.map((w, i) => (columns[i]!.align === 'right' ? w : w * scale)) : widths;
    return { size: current, wrap: false, columns: columns.map((c, i) => ({ ...c, width: fitted[i]! })) };
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
  const wrap = sized.wrap;
  columns = sized.columns;
  const wraps = wrap ? (column: Column) => column.align !== 'right' : undefined;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  if (y + 2 * ROW > flow.bottom) y = flow.newPage();
  y = header(doc, x, y, columns, size, wrap);
  rows.forEach((cells, index) => {
    const bold = options.boldLast === true && index === rows.length - 1;
    const font = bold ? BOLD : REGULAR;
    const height = wraps ? rowHeight(doc, columns, cells, font, size, wraps) : ROW;
    if (y + height > flow.bottom) y = header(doc, x, flow.newPage(), columns, size, wrap);
    doc.fillColor('#111111');
    drawCells(doc, x, y + 3, columns, cells, font, size, wraps);
    y += height;
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

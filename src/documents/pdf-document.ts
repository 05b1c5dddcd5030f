import PDFDocument from 'pdfkit';
import type { IsoDate } from '../domain/calendar.ts';
import { useFastLayout, type EmbeddedFont } from './fast-layout.ts';
import { BOLD, fontBuffers, REGULAR } from './fonts.ts';

export type Pdf = PDFKit.PDFDocument;

export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };

export type PdfMeta = { title: string; subject?: string; keywords?: string; date: IsoDate; language: 'fr' | 'en' };

/**
 * A pdfkit document with the embedded fonts registered. The creation date comes from the content (the
 * letter's date), not the clock, and pdfkit derives the file ID from the info dictionary, so the same input
 * gives the same bytes: a resent letter is byte-identical to the first one.
 */
export function newPdf(meta: PdfMeta): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    compress: true,
    lang: meta.language === 'fr' ? 'fr-FR' : 'en-GB',
    info: {
      Title: meta.title,
      Subject: meta.subject ?? meta.title,
      Keywords: meta.keywords ?? '',
      Creator: 'relance',
      Producer: 'relance',
      CreationDate: new Date(`${meta.date}T00:00:00Z`),
    },
  });
  const fonts = fontBuffers();
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  for (const name of [BOLD, REGULAR]) useFastLayout((doc.font(name) as unknown as { _font: EmbeddedFont })._font, name);
  return doc;
}

/** Collects the document's bytes; call after drawing everything. */
export function finish(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

type Glyph = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number };
/** The parts of pdfkit's embedded font and page that its own text() uses; @types/pdfkit does not declare them. */
type FontInternals = { id: string; ascender: number; encode(text: string): [string[], Glyph[]]; ref(): unknown };
type DocInternals = {
  _font: FontInternals;
  _fontSize: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(ops: string): void;
};

const number = (n: number) => String(Math.round(n * 1e4) / 1e4);

export type LineOptions = {
  font?: string;
  size?: number;
  align?: 'left' | 'right' | 'center';
  /** Shortens the text with an ellipsis to fit this width. */
  maxWidth?: number;
};

/**
 * Text on one line with its top at (x, y); `align` measures against `x`. Letters are mostly such lines
 * (cells, totals, addresses), and pdfkit's text() lays a line out four or five times (measure, align,
 * encode, advance the cursor); this encodes it once and writes the same operators text() writes. Text
 * whose glyphs need offsets (combining marks) goes through text() unchanged.
 */
export function line(doc: Pdf, text: string, x: number, y: number, options: LineOptions = {}): void {
  if (text === '') return;
  doc.font(options.font ?? REGULAR).fontSize(options.size ?? 9);
  const internals = doc as unknown as DocInternals;
  const font = internals._font;
  const size = internals._fontSize;
  let [encoded, glyphs] = font.encode(text);
  let width = (glyphs.reduce((sum, g) => sum + g.xAdvance, 0) * size) / 1000;
  if (options.maxWidth !== undefined && width > options.maxWidth) {
    text = fit(doc, text, options.maxWidth);
    [encoded, glyphs] = font.encode(text);
    width = (glyphs.reduce((sum, g) => sum + g.xAdvance, 0) * size) / 1000;
  }
  let left = x;
  if (options.align === 'right') left = x - width;
  else if (options.align === 'center') left = x - width / 2;
  if (glyphs.some((g) => g.xOffset || g.yOffset || g.yAdvance)) {
    doc.text(text, left, y, { lineBreak: false });
    return;
  }
  const page = internals.page;
  page.fonts[font.id] ??= font.ref();
  // pdfkit's user space has y growing downwards; text is written in the page's own space, as text() does.
  const baseline = page.height - y - (font.ascender / 1000) * size;
  const runs: string[] = [];
  let from = 0;
  glyphs.forEach((glyph, i) => {
    const kern = glyph.xAdvance - glyph.advanceWidth;
    if (kern === 0 && i < glyphs.length - 1) return;
    runs.push(`<${encoded.slice(from, i + 1).join('')}> ${number(-kern)}`);
    from = i + 1;
  });
  internals.addContent(
    `q\n1 0 0 -1 0 ${number(page.height)} cm\nBT\n1 0 0 1 ${number(left)} ${number(baseline)} Tm\n` +
      `/${font.id} ${number(size)} Tf\n[${runs.join(' ')}] TJ\nET\nQ`,
  );
}

export type Block = { lines: string[]; font: string; size: number; lineHeight: number; height: number };

const widths = new Map<string, number>();

/** Width of a word at 1 pt, remembered for the process: letters repeat the same words thousands of times. */
function wordWidth(doc: Pdf, font: string, word: string): number {
  const key = `${font}|${word}`;
  let width = widths.get(key);
  if (width === undefined) {
    width = doc.widthOfString(word) / (doc as unknown as DocInternals)._fontSize;
    if (widths.size > 100_000) widths.clear();
    widths.set(key, width);
  }
  return width;
}

/**
 * Breaks text into lines of at most `width` points, at spaces and at its own line breaks; a word wider
 * than the column is cut. Measuring words once and filling lines greedily is what a letter needs, at a
 * fraction of the cost of pdfkit's general line breaker (which also runs twice when a height is asked).
 */
export function wrap(
  doc: Pdf,
  text: string,
  width: number,
  options: { font?: string; size?: number; lineGap?: number } = {},
): Block {
  const font = options.font ?? REGULAR;
  const size = options.size ?? 10;
  doc.font(font).fontSize(size);
  const space = wordWidth(doc, font, ' ') * size;
  const lines: string[] = [];
  for (const hard of text.split('\n')) {
    let current = '';
    let used = 0;
    let started = false;
    for (let word of hard.split(' ')) {
      let w = wordWidth(doc, font, word) * size;
      if (started && used + space + w <= width) {
        current += ` ${word}`;
        used += space + w;
        continue;
      }
      if (started) lines.push(current);
      while (w > width) {
        const head = fit(doc, word, width).replace(/…$/, '') || word.slice(0, 1);
        lines.push(head);
        word = word.slice(head.length);
        w = wordWidth(doc, font, word) * size;
      }
      current = word;
      used = w;
      started = true;
    }
    lines.push(current);
  }
  const lineHeight = doc.currentLineHeight(true) + (options.lineGap ?? 1.5);
  return { lines, font, size, lineHeight, height: lines.length * lineHeight };
}

/** Draws a wrapped block from `y`; a line that would cross `flow.bottom` starts a new page. Returns the y below. */
export function drawBlock(
  doc: Pdf,
  block: Block,
  x: number,
  y: number,
  flow?: { bottom: number; newPage(): number },
): number {
  for (const text of block.lines) {
    if (flow && y + block.lineHeight > flow.bottom) y = flow.newPage();
    line(doc, text, x, y, { font: block.font, size: block.size });
    y += block.lineHeight;
  }
  return y;
}

/** Shortens a text with an ellipsis so it fits `width` at the current font and size (binary search on length). */
export function fit(doc: Pdf, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}…`;
}

import PDFDocument from 'pdfkit';
import type { IsoDate } from '../domain/calendar.ts';
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
    size: 'A4', margin: 0, autoFirstPage: false, compress: true, lang: meta.language === 'fr' ? 'fr-FR' : 'en-GB',
    info: { Title: meta.title, Subject: meta.subject ?? meta.title, Keywords: meta.keywords ?? '', Creator: 'relance',
      Producer: 'relance', CreationDate: new Date(`${meta.date}T00:00:00Z`) },
  });
  const fonts = fontBuffers();
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
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

/** Text on one line at (x, y) — top of the line — with no wrapping; `align` measures against `x`. */
export function line(doc: Pdf, text: string, x: number, y: number, options: { font?: string; size?: number; align?: 'left' | 'right' | 'center' } = {}): void {
  doc.font(options.font ?? REGULAR).fontSize(options.size ?? 9);
  let left = x;
  if (options.align === 'right') left = x - doc.widthOfString(text);
  else if (options.align === 'center') left = x - doc.widthOfString(text) / 2;
  doc.text(text, left, y, { lineBreak: false });
}

/** Wrapped text in a column; returns the y below it. */
export function paragraph(doc: Pdf, text: string, x: number, y: number, width: number,
  options: { font?: string; size?: number; gap?: number } = {}): number {
  doc.font(options.font ?? REGULAR).fontSize(options.size ?? 10);
  doc.text(text, x, y, { width, lineGap: 1.5 });
  return doc.y + (options.gap ?? 0);
}

/** Shortens a text with an ellipsis so it fits `width` at the current font and size. */
export function fit(doc: Pdf, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let end = text.length;
  while (end > 0 && doc.widthOfString(`${text.slice(0, end)}…`) > width) end--;
  return `${text.slice(0, end)}…`;
}

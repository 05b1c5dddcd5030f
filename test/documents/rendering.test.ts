import { describe, expect, it } from 'vitest';
import { inkRatio, rasterize } from './pdf-support.ts';
import { KINDS, sampleDocuments } from './sample-documents.ts';

/**
 * What a printer would get: each page of each kind of document rasterised by poppler (pdftoppm). A page
 * that renders blank — a font that failed to embed, content drawn off the page — fails the check.
 */
describe('rendering check (pdftoppm)', () => {
  it('renders every page of every kind of document with visible content', async () => {
    const documents = await sampleDocuments();
    for (const kind of KINDS) {
      const pages = await rasterize(documents[kind], 50);
      expect(pages.length, kind).toBeGreaterThanOrEqual(1);
      for (const [index, page] of pages.entries()) {
        expect(page.width, `${kind} page ${index + 1}`).toBeGreaterThan(0);
        // A letter covers about 3 % of its page with ink; an empty page has none.
        expect(inkRatio(page), `${kind} page ${index + 1} is blank`).toBeGreaterThan(0.005);
      }
    }
  }, 60_000);

  it('fails on an empty page', async () => {
    const { default: PDFDocument } = await import('pdfkit');
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on('end', r));
    doc.end();
    await done;
    const [page] = await rasterize(Buffer.concat(chunks), 50);
    expect(inkRatio(page!)).toBe(0);
  });
});

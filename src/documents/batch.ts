import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import type { MessageContext } from '../communications/message-context.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Language } from '../domain/ledger.ts';
import { drawInvoiceCopy, type InvoiceCopySource } from './invoice-copy.ts';
import { drawLetter, letterAssets } from './letter.ts';
import { finish, newPdf, type Pdf } from './pdf-document.ts';
import type { LetterSettings } from '../domain/letter-settings.ts';

export type BatchLetter = {
  context: MessageContext;
  letterText: string;
  /** Invoice copies printed after the letter, for the same envelope. */
  copies?: InvoiceCopySource[];
};

export type Batch = { pdf: Buffer; letters: number; pages: number };

type Spliced = { at: number; pdf: PDFDocument };

/** Draws the letters (and their generated copies) into `doc`; stored copies are only reserved a place. */
async function drawBatch(
  doc: Pdf,
  letters: BatchLetter[],
  settings: LetterSettings,
): Promise<{ pages: number; spliced: Spliced[] }> {
  const assets = letterAssets(doc, settings);
  const spliced: Spliced[] = [];
  let pages = 0;
  for (const letter of letters) {
    if (settings.duplex && pages % 2 === 1) {
      doc.addPage({ size: 'A4', margin: 0 });
      pages++;
    }
    pages += drawLetter(doc, letter.context, letter.letterText, settings, assets);
    for (const copy of letter.copies ?? []) {
      if ('generated' in copy) {
        pages += drawInvoiceCopy(doc, copy.generated);
        continue;
      }
      const pdf = await PDFDocument.load(copy.stored, { ignoreEncryption: true, updateMetadata: false });
      spliced.push({ at: pages, pdf });
      pages += pdf.getPageCount();
    }
  }
  if (letters.length === 0) doc.addPage({ size: 'A4', margin: 0 });
  return { pages: letters.length === 0 ? 0 : pages, spliced };
}

/**
 * Every letter of a run (or a selection) in one PDF to print: one pdfkit document, so the font and the
 * logo are embedded once. With duplex printing each letter starts on an odd page (a blank back is added),
 * so no letter is printed on the back of another customer's. Stored invoice PDFs are spliced in
 * afterwards with pdf-lib, at the place reserved for them.
 */
export async function renderBatchPdf(
  letters: BatchLetter[],
  settings: LetterSettings,
  meta: { title: string; date: IsoDate; language: Language },
): Promise<Batch> {
  const doc = newPdf({ ...meta, keywords: `${letters.length}` });
  const { pages, spliced } = await drawBatch(doc, letters, settings);
  let bytes = await finish(doc);
  if (spliced.length > 0) {
    const merged = await PDFDocument.load(bytes, { updateMetadata: false });
    for (const { at, pdf } of spliced) {
      const copied = await merged.copyPages(pdf, pdf.getPageIndices());
      copied.forEach((page, i) => merged.insertPage(at + i, page));
    }
    bytes = Buffer.from(await merged.save());
  }
  return { pdf: bytes, letters: letters.length, pages };
}

export type WrittenBatch = { letters: number; pages: number; bytes: number; sha256: string };

/**
 * The same batch written straight to a file as it is drawn, so a run of tens of thousands of letters
 * never holds its PDF in memory. Letters with stored invoice PDFs to splice go through memory.
 */
export async function writeBatchPdf(
  letters: BatchLetter[],
  settings: LetterSettings,
  meta: { title: string; date: IsoDate; language: Language },
  path: string,
): Promise<WrittenBatch> {
  if (letters.some((l) => l.copies?.some((c) => 'stored' in c))) {
    const batch = await renderBatchPdf(letters, settings, meta);
    await writeFile(path, batch.pdf);
    return {
      letters: batch.letters,
      pages: batch.pages,
      bytes: batch.pdf.length,
      sha256: createHash('sha256').update(batch.pdf).digest('hex'),
    };
  }
  const doc = newPdf({ ...meta, keywords: `${letters.length}` });
  const hash = createHash('sha256');
  let bytes = 0;
  const file = createWriteStream(path);
  doc.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const written = new Promise<void>((resolve, reject) => {
    file.on('finish', resolve);
    file.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(file);
  const { pages } = await drawBatch(doc, letters, settings);
  doc.end();
  await written;
  return { letters: letters.length, pages, bytes, sha256: hash.digest('hex') };
}

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Db } from '../../../src/storage/database.ts';
import { enqueueMessages, type OutboxInput } from '../../../src/storage/outbox.ts';

const FONTS = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** A real PDF of about `size` bytes (padded with text pages) saying `title`. */
export async function makePdf(title: string, size = 2_000): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.setTitle(title);
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  let page = doc.addPage();
  page.drawText(title, { x: 50, y: 780, size: 18, font });
  let bytes = await doc.save({ useObjectStreams: false });
  let line = 0;
  while (bytes.length < size) {
    // Incompressible-ish filler: hex digests, so the file really weighs `size`.
    for (let i = 0; i < 40; i++) {
      if (line % 60 === 0) page = doc.addPage();
      page.drawText(createHash('sha256').update(`${title}${line}`).digest('hex'), {
        x: 40,
        y: 800 - (line % 60) * 12,
        size: 8,
        font,
      });
      line++;
    }
    bytes = await doc.save({ useObjectStreams: false });
  }
  return Buffer.from(bytes);
}

/** Opens a PDF with pdf.js (what browsers use) and returns its text, proving it is a readable PDF. */
export async function pdfText(content: Uint8Array): Promise<string> {
  const pdf = await getDocument({
    data: new Uint8Array(content),
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: FONTS,
  }).promise;
  const page = await pdf.getPage(1);
  const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  await pdf.destroy();
  return text;
}

export async function storeInvoicePdf(db: Db, companyId: string, invoiceId: string, content: Buffer): Promise<void> {
  await db
    .insertInto('invoice_files')
    .values({
      company_id: companyId,
      invoice_id: invoiceId,
      filename: 'facture.pdf',
      media_type: 'application/pdf',
      content,
      sha256: createHash('sha256').update(content).digest('hex'),
      created_at: new Date().toISOString(),
    })
    .execute();
}

export function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

let counter = 0;

/** A queued test message with French text; override anything. */
export async function queueOne(db: Db, companyId: string, overrides: Partial<OutboxInput> = {}) {
  counter++;
  const [message] = await enqueueMessages(db, companyId, [
    {
      kind: 'test',
      idempotencyKey: `test:${counter}:${Math.random()}`,
      to: ['client@exemple.fr'],
      subject: 'Relance : facture échue',
      text: 'Bonjour, votre facture reste impayée. Merci de régulariser.',
      ...overrides,
    },
  ]);
  return message!;
}

import type { ContextAddress } from '../communications/message-context.ts';
import type { Language } from '../domain/ledger.ts';
import { BOLD, REGULAR } from './fonts.ts';
import { line, MM, type Pdf } from './pdf-document.ts';
import { LEFT, RIGHT } from './page-frame.ts';
import type { EnvelopeWindow, LetterSettings } from '../domain/letter-settings.ts';
import { textsFor } from './texts.ts';

/** Who writes: what the letterhead of letters and statements shows. */
export type Sender = {
  legalName: string;
  siren: string | null;
  vatNumber: string | null;
  address: ContextAddress;
  letterhead: string | null;
  language: Language;
  legalMentions?: string | null;
  phone?: string | null;
};

/** pdfkit's opened image; @types/pdfkit does not declare it. */
type Image = { width: number; height: number };

/** What a document reuses across the letters of a batch: the logo is embedded once, not once per letter. */
export type LetterAssets = { logo: Image | null };

export function letterAssets(doc: Pdf, settings: LetterSettings): LetterAssets {
  const open = (doc as unknown as { openImage(src: Buffer): Image }).openImage.bind(doc);
  return { logo: settings.logo ? open(Buffer.from(settings.logo.content)) : null };
}

/** The window's rectangle in points from the page's top-left corner. */
export function windowBox(window: EnvelopeWindow) {
  return { x: window.leftMm * MM, y: window.topMm * MM, width: window.widthMm * MM, height: window.heightMm * MM };
}

/** The recipient's name and address inside the envelope window. */
export function drawWindowAddress(doc: Pdf, lines: string[], window: EnvelopeWindow): void {
  const box = windowBox(window);
  const pad = { x: 5 * MM, y: 5 * MM };
  // Long addresses shrink rather than spill outside the window, where the post office cannot read them.
  let size = 10;
  while (size > 7 && lines.length * size * 1.25 > box.height - 2 * pad.y) size -= 0.5;
  const room = box.width - 2 * pad.x;
  lines.slice(0, Math.floor((box.height - 2 * pad.y) / (size * 1.25))).forEach((text, i) => {
    line(doc, text, box.x + pad.x, box.y + pad.y + i * size * 1.25, {
      font: i === 0 ? BOLD : REGULAR,
      size,
      maxWidth: room,
    });
  });
}

/** Company identity on the side of the page the window leaves free; returns the y below it. */
export function drawLetterhead(doc: Pdf, company: Sender, settings: LetterSettings, assets: LetterAssets): number {
  const box = windowBox(settings.window);
  const windowOnRight = box.x + box.width / 2 > (LEFT + RIGHT) / 2;
  const x = windowOnRight ? LEFT : box.x + box.width + 6 * MM;
  const width = windowOnRight ? box.x - 6 * MM - LEFT : RIGHT - x;
  let y = 15 * MM;
  if (assets.logo) {
    doc.image(assets.logo as unknown as Buffer, x, y, { fit: [Math.min(width, 50 * MM), 18 * MM] });
    y += 20 * MM;
  }
  const t = textsFor(company.language);
  doc.fillColor('#1f2a37');
  line(doc, company.legalName, x, y, { font: BOLD, size: 12, maxWidth: width });
  y += 16;
  doc.fillColor('#374151');
  const details = [
    ...company.address.block,
    company.phone ? `${t.phone} ${company.phone}` : null,
    company.legalMentions ?? null,
    company.siren ? `${t.siren} ${company.siren}` : null,
    company.vatNumber ? `${t.vat} ${company.vatNumber}` : null,
    ...(company.letterhead ? company.letterhead.split('\n') : []),
  ];
  for (const text of details) {
    if (!text) continue;
    line(doc, text, x, y, { size: 8.5, maxWidth: width });
    y += 11;
  }
  doc.fillColor('#111111');
  return y;
}

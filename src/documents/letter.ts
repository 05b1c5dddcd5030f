import type { MessageContext } from '../communications/message-context.ts';
import { BOLD, REGULAR } from './fonts.ts';
import { drawLetterBody } from './letter-body.ts';
import { finish, fit, line, MM, newPdf, type Pdf } from './pdf-document.ts';
import { LEFT, PageFrame, RIGHT, WIDTH } from './page-frame.ts';
import { DEFAULT_LETTER_SETTINGS, type EnvelopeWindow, type LetterSettings } from './settings.ts';
import { textsFor } from './texts.ts';

/** pdfkit's opened image; its type is missing from @types/pdfkit. */
type Image = { width: number; height: number };

/** What a document reuses across the letters of a batch: the logo is embedded once, not once per letter. */
export type LetterAssets = { logo: Image | null };

export function letterAssets(doc: Pdf, settings: LetterSettings): LetterAssets {
  const open = (doc as unknown as { openImage(src: Buffer): Image }).openImage.bind(doc);
  return { logo: settings.logo ? open(Buffer.from(settings.logo.content)) : null };
}

/** The subject line: the level's label and the invoices, or the formal notice's title. */
export function letterSubject(context: MessageContext): string {
  const t = textsFor(context.language);
  const what = context.level.formalNotice ? t.noticeTitle : context.level.label;
  const numbers = context.invoices.map((i) => i.number);
  const shown = numbers.length > 4 ? `${numbers.slice(0, 4).join(', ')}…` : numbers.join(', ');
  const noun = context.language === 'fr' ? (numbers.length > 1 ? 'factures' : 'facture') : (numbers.length > 1 ? 'invoices' : 'invoice');
  return `${what} — ${noun} ${shown}`;
}

/** The window's rectangle in points, and the address lines that go in it. */
export function windowBox(window: EnvelopeWindow) {
  return { x: window.leftMm * MM, y: window.topMm * MM, width: window.widthMm * MM, height: window.heightMm * MM };
}

function recipientLines(context: MessageContext): string[] {
  const attention = context.customer.kind === 'company' && context.contact?.name
    ? [`${context.language === 'fr' ? 'À l’attention de' : 'Attn:'} ${context.contact.name}`] : [];
  return [context.customer.name, ...attention, ...context.customer.address.block];
}

function drawAddress(doc: Pdf, context: MessageContext, window: EnvelopeWindow): void {
  const box = windowBox(window);
  const pad = { x: 5 * MM, y: 5 * MM };
  const lines = recipientLines(context);
  // Long addresses shrink rather than spill outside the window, where the post office cannot read them.
  let size = 10;
  while (size > 7 && lines.length * size * 1.25 > box.height - 2 * pad.y) size -= 0.5;
  const room = box.width - 2 * pad.x;
  lines.slice(0, Math.floor((box.height - 2 * pad.y) / (size * 1.25))).forEach((text, i) => {
    doc.font(i === 0 ? BOLD : REGULAR).fontSize(size);
    line(doc, fit(doc, text, room), box.x + pad.x, box.y + pad.y + i * size * 1.25, { font: i === 0 ? BOLD : REGULAR, size });
  });
}

/** Company identity on the side of the page the window leaves free; returns the y below it. */
function drawLetterhead(doc: Pdf, context: MessageContext, settings: LetterSettings, assets: LetterAssets): number {
  const box = windowBox(settings.window);
  const windowOnRight = box.x + box.width / 2 > (LEFT + RIGHT) / 2;
  const x = windowOnRight ? LEFT : box.x + box.width + 6 * MM;
  const width = windowOnRight ? box.x - 6 * MM - LEFT : RIGHT - x;
  let y = 15 * MM;
  if (assets.logo) {
    doc.image(assets.logo as unknown as Buffer, x, y, { fit: [Math.min(width, 50 * MM), 18 * MM] });
    y += 20 * MM;
  }
  const { company } = context;
  const t = textsFor(context.language);
  doc.fillColor('#1f2a37');
  line(doc, fit(doc.font(BOLD).fontSize(12), company.legalName, width), x, y, { font: BOLD, size: 12 });
  y += 16;
  doc.fillColor('#374151');
  const details = [...company.address.block, company.siren ? `${t.siren} ${company.siren}` : null,
    company.vatNumber ? `${t.vat} ${company.vatNumber}` : null, ...(company.letterhead ? company.letterhead.split('\n') : [])];
  for (const text of details) {
    if (!text) continue;
    line(doc, fit(doc.font(REGULAR).fontSize(8.5), text, width), x, y, { size: 8.5 });
    y += 11;
  }
  doc.fillColor('#111111');
  return y;
}

/**
 * Draws one reminder letter (or formal notice) from its context and the text of its template, starting on
 * a new page of `doc`. Returns the number of pages it took.
 */
export function drawLetter(doc: Pdf, context: MessageContext, letterText: string, settings: LetterSettings,
  assets: LetterAssets): number {
  const t = textsFor(context.language);
  const subject = letterSubject(context);
  const frame = new PageFrame(doc, context.company, context.language, `${context.customer.name} — ${subject}`);
  frame.first();
  const headBottom = drawLetterhead(doc, context, settings, assets);
  drawAddress(doc, context, settings.window);
  const box = windowBox(settings.window);
  let y = Math.max(headBottom, box.y + box.height) + 8 * MM;
  if (context.level.formalNotice) {
    line(doc, t.registered, LEFT, y, { font: BOLD, size: 9 });
    y += 16;
  }
  line(doc, t.placeDate(context.company.city, context.dateText), RIGHT, y, { size: 10, align: 'right' });
  line(doc, t.customerRef(context.customer.code), LEFT, y, { size: 9 });
  y += 22;
  doc.font(BOLD).fontSize(10.5);
  doc.text(`${t.subject} ${subject}`, LEFT, y, { width: WIDTH });
  y = doc.y + 10;
  for (const text of letterText.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)) {
    doc.font(REGULAR).fontSize(10);
    y = frame.ensure(y, Math.min(doc.heightOfString(text, { width: WIDTH, lineGap: 1.5 }), 200));
    doc.text(text, LEFT, y, { width: WIDTH, lineGap: 1.5 });
    y = doc.y + 7;
  }
  drawLetterBody(doc, context, frame, y + 4);
  return frame.count;
}

/**
 * One letter as its own PDF: what runs, previews, the web app and e-mail attachments use. The same
 * context and text always give the same bytes.
 */
export async function renderLetterPdf(context: MessageContext, letterText: string,
  settings: LetterSettings = DEFAULT_LETTER_SETTINGS): Promise<Buffer> {
  const doc = newPdf({ title: letterSubject(context), subject: `${context.customer.code} ${context.references}`,
    keywords: context.level.label, date: context.date, language: context.language });
  drawLetter(doc, context, letterText, settings, letterAssets(doc, settings));
  return finish(doc);
}

import type { MessageContext } from '../communications/message-context.ts';
import { BOLD } from './fonts.ts';
import { drawLetterBody } from './letter-body.ts';
import { drawLetterhead, drawWindowAddress, letterAssets, windowBox, type LetterAssets } from './letterhead.ts';
import { drawBlock, finish, line, MM, newPdf, wrap, type Pdf } from './pdf-document.ts';
import { LEFT, PageFrame, RIGHT, WIDTH } from './page-frame.ts';
import { DEFAULT_LETTER_SETTINGS, type LetterSettings } from '../domain/letter-settings.ts';
import { textsFor } from './texts.ts';

export { letterAssets, windowBox, type LetterAssets };

/** The subject line: the level's label and the invoices, or the formal notice's title. */
export function letterSubject(context: MessageContext): string {
  const t = textsFor(context.language);
  const what = context.level.formalNotice ? t.noticeTitle : context.level.label;
  const numbers = context.invoices.map((i) => i.number);
  const shown = numbers.length > 4 ? `${numbers.slice(0, 4).join(', ')}…` : numbers.join(', ');
  const noun =
    context.language === 'fr'
      ? numbers.length > 1
        ? 'factures'
        : 'facture'
      : numbers.length > 1
        ? 'invoices'
        : 'invoice';
  return `${what} — ${noun} ${shown}`;
}

function recipientLines(context: MessageContext): string[] {
  const attention =
    context.customer.kind === 'company' && context.contact?.name
      ? [`${context.language === 'fr' ? 'À l’attention de' : 'Attn:'} ${context.contact.name}`]
      : [];
  return [context.customer.name, ...attention, ...context.customer.address.block];
}

/**
 * `registered: false` for the PDF attached to an e-mail: a formal notice sent that way is no registered letter,
 * so it must not say it is one (the printed letter of the same notice keeps the mention).
 */
export type LetterOptions = { registered?: boolean };

/**
 * Draws one reminder letter (or formal notice) from its context and the text of its template, starting on
 * a new page of `doc`. Returns the number of pages it took.
 */
export function drawLetter(
  doc: Pdf,
  context: MessageContext,
  letterText: string,
  settings: LetterSettings,
  assets: LetterAssets,
  options: LetterOptions = {},
): number {
  const t = textsFor(context.language);
  const subject = letterSubject(context);
  const frame = new PageFrame(doc, context.company, context.language, `${context.customer.name} — ${subject}`);
  frame.first();
  const headBottom = drawLetterhead(doc, { ...context.company, language: context.language }, settings, assets);
  drawWindowAddress(doc, recipientLines(context), settings.window);
  const box = windowBox(settings.window);
  let y = Math.max(headBottom, box.y + box.height) + 8 * MM;
  if (context.level.formalNotice && (options.registered ?? true)) {
    line(doc, t.registered, LEFT, y, { font: BOLD, size: 9 });
    y += 16;
  }
  line(doc, t.placeDate(context.company.city, context.dateText), RIGHT, y, { size: 10, align: 'right' });
  line(doc, t.customerRef(context.customer.code), LEFT, y, { size: 9 });
  y += 22;
  y = drawBlock(doc, wrap(doc, `${t.subject} ${subject}`, WIDTH, { font: BOLD, size: 10.5 }), LEFT, y) + 8;
  for (const text of letterText
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const block = wrap(doc, text, WIDTH, { size: 10 });
    // A paragraph stays on one page when it can; a very long one continues on the next.
    y = drawBlock(doc, block, LEFT, frame.ensure(y, Math.min(block.height, 200)), frame) + 6;
  }
  drawLetterBody(doc, context, letterText, frame, y + 4);
  return frame.count;
}

/**
 * One letter as its own PDF: what runs, previews, the web app and e-mail attachments use. The same
 * context and text always give the same bytes.
 */
export async function renderLetterPdf(
  context: MessageContext,
  letterText: string,
  settings: LetterSettings = DEFAULT_LETTER_SETTINGS,
  options: LetterOptions = {},
): Promise<Buffer> {
  const doc = newPdf({
    title: letterSubject(context),
    subject: `${context.customer.code} ${context.references}`,
    keywords: context.level.label,
    date: context.date,
    language: context.language,
  });
  drawLetter(doc, context, letterText, settings, letterAssets(doc, settings), options);
  return finish(doc);
}

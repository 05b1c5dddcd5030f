import type { ContextAddress } from '../communications/message-context.ts';
import type { Language } from '../domain/ledger.ts';
import { BOLD, REGULAR } from './fonts.ts';
import { A4, fit, line, MM, type Pdf } from './pdf-document.ts';
import type { Flow } from './table.ts';
import { textsFor } from './texts.ts';

export const LEFT = 20 * MM;
export const RIGHT = A4.width - 20 * MM;
export const WIDTH = RIGHT - LEFT;
export const TOP = 22 * MM;
export const BOTTOM = A4.height - 24 * MM;

export type Issuer = { legalName: string; siren: string | null; vatNumber: string | null; address: ContextAddress };

/**
 * The running parts of every page of one document (a letter, a statement…): the footer with the issuer's
 * legal identity and the page number, and on continuation pages a one-line reminder of what the page
 * belongs to. Pages of a batch are numbered per document, not per batch.
 */
export class PageFrame implements Flow {
  readonly bottom = BOTTOM;
  private pages = 0;

  constructor(private readonly doc: Pdf, private readonly issuer: Issuer, private readonly language: Language,
    private readonly heading: string) {}

  /** Starts the document's first page; returns the top of its free area. */
  first(): number {
    this.doc.addPage({ size: 'A4', margins: { top: TOP, bottom: A4.height - BOTTOM, left: LEFT, right: A4.width - RIGHT } });
    this.decorate();
    return TOP;
  }

  newPage(): number {
    this.doc.addPage({ size: 'A4', margins: { top: TOP, bottom: A4.height - BOTTOM, left: LEFT, right: A4.width - RIGHT } });
    this.decorate();
    const suffix = ` (${textsFor(this.language).continued})`;
    this.doc.font(REGULAR).fontSize(8);
    const running = fit(this.doc, `${this.issuer.legalName} — ${this.heading}`, WIDTH - this.doc.widthOfString(suffix));
    line(this.doc, running + suffix, LEFT, 12 * MM, { size: 8 });
    return TOP;
  }

  /** Moves to a new page unless `height` still fits below `y`. */
  ensure(y: number, height: number): number {
    return y + height > this.bottom ? this.newPage() : y;
  }

  get count(): number {
    return this.pages;
  }

  private decorate(): void {
    this.pages++;
    const doc = this.doc;
    const t = textsFor(this.language);
    const { issuer } = this;
    const identity = [issuer.legalName, issuer.address.block.join(', '),
      issuer.siren ? `${t.siren} ${issuer.siren}` : null, issuer.vatNumber ? `${t.vat} ${issuer.vatNumber}` : null]
      .filter((part): part is string => !!part).join(' · ');
    const y = A4.height - 14 * MM;
    doc.save().moveTo(LEFT, y - 4).lineTo(RIGHT, y - 4).lineWidth(0.5).strokeColor('#9aa5b1').stroke().restore();
    doc.fillColor('#4b5563');
    doc.font(REGULAR).fontSize(7);
    const pageText = t.page(this.pages);
    const room = WIDTH - doc.widthOfString(pageText) - 12;
    line(doc, fit(doc, identity, room), LEFT, y, { size: 7 });
    line(doc, pageText, RIGHT, y, { size: 7, align: 'right' });
    doc.fillColor('#111111');
    doc.x = LEFT;
    doc.y = TOP;
  }
}

/** Bold title of a document with a thin rule under it; returns the y below. */
export function title(doc: Pdf, text: string, y: number): number {
  line(doc, text, LEFT, y, { font: BOLD, size: 14 });
  doc.save().moveTo(LEFT, y + 20).lineTo(RIGHT, y + 20).lineWidth(0.8).strokeColor('#1f2a37').stroke().restore();
  return y + 28;
}

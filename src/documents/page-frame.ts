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
  readonly bottom: number;
  /** Right edge and width of the content on this document's pages (wider in landscape). */
  readonly right: number;
  readonly width: number;
  private readonly page: { width: number; height: number };
  private pages = 0;

  constructor(
    private readonly doc: Pdf,
    private readonly issuer: Issuer,
    private readonly language: Language,
    private readonly heading: string,
    private readonly layout: 'portrait' | 'landscape' = 'portrait',
  ) {
    this.page = layout === 'portrait' ? A4 : { width: A4.height, height: A4.width };
    this.bottom = this.page.height - (A4.height - BOTTOM);
    this.right = this.page.width - (A4.width - RIGHT);
    this.width = this.right - LEFT;
  }

  private add(): void {
    this.doc.addPage({
      size: 'A4',
      layout: this.layout,
      margins: { top: TOP, bottom: this.page.height - this.bottom, left: LEFT, right: this.page.width - this.right },
    });
    this.decorate();
  }

  /** Starts the document's first page; returns the top of its free area. */
  first(): number {
    this.add();
    return TOP;
  }

  newPage(): number {
    this.add();
    const suffix = ` (${textsFor(this.language).continued})`;
    this.doc.font(REGULAR).fontSize(8);
    const running = fit(
      this.doc,
      `${this.issuer.legalName} — ${this.heading}`,
      this.width - this.doc.widthOfString(suffix),
    );
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
    const identity = [
      issuer.legalName,
      issuer.address.block.join(', '),
      issuer.siren ? `${t.siren} ${issuer.siren}` : null,
      issuer.vatNumber ? `${t.vat} ${issuer.vatNumber}` : null,
    ]
      .filter((part): part is string => !!part)
      .join(' · ');
    const y = this.page.height - 14 * MM;
    doc
      .save()
      .moveTo(LEFT, y - 4)
      .lineTo(this.right, y - 4)
      .lineWidth(0.5)
      .strokeColor('#9aa5b1')
      .stroke()
      .restore();
    doc.fillColor('#4b5563');
    doc.font(REGULAR).fontSize(7);
    const pageText = t.page(this.pages);
    const room = this.width - doc.widthOfString(pageText) - 12;
    line(doc, identity, LEFT, y, { size: 7, maxWidth: room });
    line(doc, pageText, this.right, y, { size: 7, align: 'right' });
    doc.fillColor('#111111');
    doc.x = LEFT;
    doc.y = TOP;
  }
}

/** Bold title of a document with a thin rule under it; returns the y below. */
export function title(doc: Pdf, text: string, y: number, right = RIGHT): number {
  line(doc, text, LEFT, y, { font: BOLD, size: 14 });
  doc
    .save()
    .moveTo(LEFT, y + 20)
    .lineTo(right, y + 20)
    .lineWidth(0.8)
    .strokeColor('#1f2a37')
    .stroke()
    .restore();
  return y + 28;
}

import type { MessageContext } from '../communications/message-context.ts';
import { epcPayload, drawQr } from './epc-qr.ts';
import { BOLD, REGULAR } from './fonts.ts';
import { drawBlock, line, MM, wrap, type Pdf } from './pdf-document.ts';
import { LEFT, RIGHT, WIDTH, type PageFrame } from './page-frame.ts';
import { drawTable, type Column } from './table.ts';
import { textsFor } from './texts.ts';
import { upcomingTexts } from '../communications/upcoming-block.ts';
import { scheduledInvoices, scheduleRows, scheduleTexts } from '../follow-ups/schedule-text.ts';

const QR_SIZE = 32 * MM;

export function invoiceColumns(headers: string[]): Column[] {
  const widths = [0.2, 0.12, 0.12, 0.15, 0.14, 0.15, 0.12];
  return headers.map((header, i) => ({ header, width: WIDTH * widths[i]!, align: i >= 3 ? 'right' : 'left' }));
}

function wrapped(
  doc: Pdf,
  frame: PageFrame,
  text: string,
  y: number,
  options: { font?: string; size?: number } = {},
): number {
  const block = wrap(doc, text, WIDTH, { font: options.font, size: options.size ?? 9, lineGap: 1 });
  return drawBlock(doc, block, LEFT, frame.ensure(y, block.height), frame);
}

function drawTotals(doc: Pdf, context: MessageContext, frame: PageFrame, y: number): number {
  const t = textsFor(context.language);
  const { totals } = context;
  const charged = context.level.charges && (totals.interest.cents > 0 || totals.indemnity.cents > 0);
  const rows: [string, string, boolean][] = charged
    ? [
        [t.balance, totals.balance.text, false],
        ...(totals.interest.cents > 0 ? [[t.interest, totals.interest.text, false] as [string, string, boolean]] : []),
        ...(totals.indemnity.cents > 0
          ? [[t.indemnity, totals.indemnity.text, false] as [string, string, boolean]]
          : []),
        [t.due, totals.due.text, true],
      ]
    : [[context.invoices.every((i) => i.daysOverdue <= 0) ? t.comingDue : t.due, totals.balance.text, true]];
  y = frame.ensure(y, rows.length * 14 + 4);
  for (const [label, amount, bold] of rows) {
    line(doc, label, RIGHT - 115 * MM, y, { font: bold ? BOLD : REGULAR, size: bold ? 10 : 9 });
    line(doc, amount, RIGHT - 3, y, { font: bold ? BOLD : REGULAR, size: bold ? 10 : 9, align: 'right' });
    y += 14;
  }
  return y;
}

function drawNotice(doc: Pdf, context: MessageContext, frame: PageFrame, y: number): number {
  const t = textsFor(context.language);
  const { totals, law } = context;
  const amount = context.level.charges ? totals.due.text : totals.balance.text;
  // With charges claimed the sum already holds them: each part is named once, never added again ("majorée").
  const claim = context.level.charges
    ? t.noticeBreakdown({
        principal: totals.balance.text,
        interest: totals.interest.cents > 0 ? totals.interest.text : null,
        date: context.dateText,
        rate: law.rateText,
        indemnity: totals.indemnity.cents > 0 ? totals.indemnity.text : null,
        indemnityRule: law.indemnityText,
        citation: law.citation,
        business: context.customer.kind === 'company',
      })
    : law.mention;
  const text = [t.notice(amount, context.payment.deadlineDays ?? 8), claim, t.noticeFollowUp(law.nextStep)]
    .filter((part) => part !== '')
    .join('\n\n');
  const block = wrap(doc, text, WIDTH - 16, { size: 9, lineGap: 1 });
  const height = block.height + 30;
  y = frame.ensure(y, height);
  doc.save().rect(LEFT, y, WIDTH, height).lineWidth(1).strokeColor('#7f1d1d').stroke().restore();
  line(doc, t.noticeTitle.toUpperCase(), LEFT + 8, y + 7, { font: BOLD, size: 10 });
  doc.fillColor('#111111');
  drawBlock(doc, block, LEFT + 8, y + 23);
  return y + height + 8;
}

function drawPayment(doc: Pdf, context: MessageContext, frame: PageFrame, y: number): number {
  const t = textsFor(context.language);
  const { company, payment } = context;
  const amount = context.level.charges ? context.totals.due.cents : context.totals.balance.cents;
  const payload = company.iban
    ? epcPayload({
        name: company.legalName,
        iban: company.iban,
        bic: company.bic,
        amountCents: amount,
        currency: context.currency,
        reference: payment.reference,
      })
    : null;
  const lines = [
    company.iban ? `${t.iban} : ${company.iban}` : null,
    company.bic ? `${t.bic} : ${company.bic}` : null,
    `${t.reference} : ${payment.reference}`,
    payment.link ? `${t.link} : ${payment.link}` : null,
    context.portalUrl ? `${t.portal} : ${context.portalUrl}` : null,
  ]
    .filter((l): l is string => l !== null)
    .map((l) => (context.language === 'en' ? l.replace(' :', ':') : l.replace(' :', '\u00a0:')));
  const height = Math.max(lines.length * 13 + 18, payload ? QR_SIZE : 0);
  y = frame.ensure(y, height);
  const textWidth = payload ? WIDTH - QR_SIZE - 8 : WIDTH;
  // Without an IBAN the block gives the reference and the link only, never a transfer with nowhere to pay.
  line(doc, company.iban ? t.payBy : t.payWith, LEFT, y, { font: BOLD, size: 9.5 });
  let below = y + 15;
  for (const text of lines) below = drawBlock(doc, wrap(doc, text, textWidth, { size: 9, lineGap: 2 }), LEFT, below);
  if (payload) {
    drawQr(doc, payload, RIGHT - QR_SIZE, y - 4 * MM, QR_SIZE);
    doc.fillColor('#4b5563');
    below = drawBlock(doc, wrap(doc, t.qr, textWidth, { size: 7 }), LEFT, below + 2);
    doc.fillColor('#111111');
  }
  return Math.max(below, y + height) + 6;
}

/** The schedule (échéancier) of each invoice that has one: every instalment with its own due date and what is left on it. */
function drawSchedules(doc: Pdf, context: MessageContext, frame: PageFrame, y: number): number {
  const t = scheduleTexts(context.language);
  const columns = t.columns.map((header, i) => ({
    header,
    width: WIDTH * 0.15,
    align: i >= 2 ? ('right' as const) : ('left' as const),
  }));
  for (const invoice of scheduledInvoices(context)) {
    y = frame.ensure(y, 14 + 14 * Math.min(invoice.instalments.length + 1, 4));
    line(doc, t.heading(invoice.number), LEFT, y, { font: BOLD, size: 9.5 });
    y = drawTable(doc, LEFT, y + 14, columns, scheduleRows(invoice, context.language), frame) + 10;
  }
  return y;
}

/** Everything after the letter's text: invoices, totals, legal mention, formal notice, payment, signature. */
/** The invoices not yet due mentioned for information, apart from the table and the totals demanded. */
function drawUpcoming(doc: Pdf, context: MessageContext, frame: PageFrame, y: number): number {
  const upcoming = context.upcoming ?? [];
  if (upcoming.length === 0) return y;
  const t = upcomingTexts(context.language);
  y = wrapped(doc, frame, `${t.heading}${t.colon}`, y, { font: BOLD }) + 2;
  for (const invoice of upcoming) y = wrapped(doc, frame, `– ${t.line(invoice)}`, y) + 1;
  return y + 6;
}

export function drawLetterBody(
  doc: Pdf,
  context: MessageContext,
  letterText: string,
  frame: PageFrame,
  y: number,
): void {
  const t = textsFor(context.language);
  const rows = context.invoices.map((i) => [
    i.number,
    i.issueDateText,
    i.dueDateText,
    i.total.text,
    i.paid.text,
    i.balance.text,
    String(Math.max(0, i.daysOverdue)),
  ]);
  y = drawTable(doc, LEFT, y, invoiceColumns(t.columns), rows, frame) + 8;
  y = drawTotals(doc, context, frame, y) + 6;
  y = drawSchedules(doc, context, frame, y);
  y = drawUpcoming(doc, context, frame, y);
  // A company's own template may already say it; the fixed wording is printed when it does not, so no
  // letter ever goes out without the legal mention or the formal notice's terms, and none says it twice.
  if (
    context.level.charges &&
    context.law.mention !== '' &&
    !/L441-10|1231-6|2011\/7|Late Payment of Commercial Debts|BGB/.test(letterText)
  ) {
    doc.fillColor('#374151');
    y = wrapped(doc, frame, context.law.mention, y, { size: 7.5 }) + 8;
    doc.fillColor('#111111');
  }
  if (context.level.formalNotice && !/en demeure|formal notice/i.test(letterText))
    y = drawNotice(doc, context, frame, y);
  y = drawPayment(doc, context, frame, y);
  y = frame.ensure(y, 40);
  line(doc, context.company.legalName, RIGHT, y + 6, { font: BOLD, size: 10, align: 'right' });
  line(doc, context.customer.salesRep ? `${t.signature} — ${context.customer.salesRep}` : t.signature, RIGHT, y + 20, {
    size: 9,
    align: 'right',
  });
}

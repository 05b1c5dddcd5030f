import type { Language } from '../domain/ledger.ts';
import type { ContextInvoice, MessageContext } from './message-context.ts';

/**
 * The "à échoir" block: invoices not yet due that a person chose to mention with due ones. They are
 * shown apart, for information, after the message's own text: never in the list of invoices demanded,
 * never in a total, and the block says so, so a customer cannot read them as owed today.
 */
const TEXTS = {
  fr: {
    heading: 'Pour information, factures à échoir (non encore exigibles, non comprises dans le montant demandé)',
    colon: '\u00a0:',
    line: (i: ContextInvoice) =>
      `Facture ${i.number} du ${i.issueDateText}, à échéance le ${i.dueDateText} : ${i.balance.text}`,
  },
  en: {
    heading: 'For information, invoices not yet due (not payable yet, not included in the amount requested)',
    colon: ':',
    line: (i: ContextInvoice) =>
      `Invoice ${i.number} of ${i.issueDateText}, due on ${i.dueDateText}: ${i.balance.text}`,
  },
} as const;

export function upcomingTexts(language: Language) {
  return TEXTS[language];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The block as text (e-mail body, letter) and HTML; null when the message has no invoice coming due. */
export function upcomingBlocks(context: MessageContext): { text: string; html: string } | null {
  const upcoming = context.upcoming ?? [];
  if (upcoming.length === 0) return null;
  const t = TEXTS[context.language];
  const lines = upcoming.map(t.line);
  const text = [`${t.heading}${t.colon}`, ...lines.map((l) => `- ${l}`)].join('\n');
  const html =
    `<div style="max-width:640px;padding:0 24px 24px;color:#4b5563;"><p style="margin:0 0 6px;"><strong>${escapeHtml(t.heading)}</strong></p>` +
    `<ul style="margin:0 0 12px;">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></div>`;
  return { text, html };
}

/** Adds a block after a rendered text body and before the end of an HTML body. */
export function appendBlock(
  body: { text: string; html: string | null },
  block: { text: string; html: string } | null,
): { text: string; html: string | null } {
  if (!block) return body;
  const html = !body.html
    ? body.html
    : /<\/body>/i.test(body.html)
      ? body.html.replace(/<\/body>/i, `${block.html}</body>`)
      : `${body.html}${block.html}`;
  return { text: `${body.text.trimEnd()}\n\n${block.text}\n`, html };
}

import type { ContextInvoice, MessageContext } from '../communications/message-context.ts';
import type { Language } from '../domain/ledger.ts';

const TEXTS = {
  fr: {
    heading: (n: string) => `Échéancier de la facture ${n}`,
    colon: '\u00a0:',
    columns: ['Échéance', 'Date', 'Montant', 'Reste à payer'],
    paid: 'payée',
    line: (seq: string, date: string, amount: string, left: string) =>
      `Échéance ${seq}, due le ${date} : ${amount} (${left})`,
    left: (amount: string) => `reste ${amount}`,
    attached: 'L’échéancier est joint en PDF.',
    filename: (n: string) => `Echeancier ${n}.pdf`,
  },
  en: {
    heading: (n: string) => `Payment schedule of invoice ${n}`,
    colon: ':',
    columns: ['Instalment', 'Date', 'Amount', 'Left to pay'],
    paid: 'paid',
    line: (seq: string, date: string, amount: string, left: string) =>
      `Instalment ${seq}, due on ${date}: ${amount} (${left})`,
    left: (amount: string) => `${amount} left`,
    attached: 'The schedule is attached as a PDF.',
    filename: (n: string) => `Schedule ${n}.pdf`,
  },
};

export function scheduleTexts(language: Language) {
  return TEXTS[language];
}

/** The invoices of a message that are on a payment schedule. */
export function scheduledInvoices(
  context: MessageContext,
): (ContextInvoice & { instalments: NonNullable<ContextInvoice['instalments']> })[] {
  return context.invoices.filter(
    (i): i is ContextInvoice & { instalments: NonNullable<ContextInvoice['instalments']> } =>
      (i.instalments?.length ?? 0) > 0,
  );
}

/** The rows of an invoice's schedule table (letter, PDF): instalment, date, amount, what is left or "paid". */
export function scheduleRows(invoice: ContextInvoice, language: Language): string[][] {
  const t = TEXTS[language];
  return (invoice.instalments ?? []).map((i) => [
    `${i.seq}/${i.count}`,
    i.dueDateText,
    i.amount.text,
    i.unpaid.cents === 0 ? t.paid : i.unpaid.text,
  ]);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The schedules of a reminder e-mail's invoices, each instalment with its own due date, as a text block
 * and an HTML block added after the template's body: a company's own template then cannot leave them out.
 * Null when no invoice of the message is on a schedule.
 */
export function scheduleBlocks(context: MessageContext, attached: boolean): { text: string; html: string } | null {
  const invoices = scheduledInvoices(context);
  if (invoices.length === 0) return null;
  const t = TEXTS[context.language];
  const lines = (invoice: ContextInvoice) =>
    (invoice.instalments ?? []).map((i) =>
      t.line(
        `${i.seq}/${i.count}`,
        i.dueDateText,
        i.amount.text,
        i.unpaid.cents === 0 ? t.paid : t.left(i.unpaid.text),
      ),
    );
  const text =
    invoices
      .map((invoice) => [`${t.heading(invoice.number)}${t.colon}`, ...lines(invoice).map((l) => `- ${l}`)].join('\n'))
      .join('\n\n') + (attached ? `\n\n${t.attached}` : '');
  const html =
    '<div style="max-width:640px;padding:0 24px 24px;">' +
    invoices
      .map(
        (invoice) =>
          `<p style="margin:0 0 6px;"><strong>${escapeHtml(t.heading(invoice.number))}</strong></p><ul style="margin:0 0 12px;">` +
          lines(invoice)
            .map((l) => `<li>${escapeHtml(l)}</li>`)
            .join('') +
          '</ul>',
      )
      .join('') +
    (attached ? `<p style="margin:0 0 12px;">${escapeHtml(t.attached)}</p>` : '') +
    '</div>';
  return { text, html };
}

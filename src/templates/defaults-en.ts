import { htmlDocument, invoiceTableHtml } from './defaults-html.ts';
import type { MessageTemplate, TemplateKey } from './keys.ts';

type Fields = Omit<MessageTemplate, 'key' | 'language'>;

const n = (singular: string, plural: string) => `{% if invoices.size > 1 %}${plural}{% else %}${singular}{% endif %}`;

/** Singular or plural by the number of quotes followed up. */
const q = (singular: string, plural: string) => `{% if quotes.size > 1 %}${plural}{% else %}${singular}{% endif %}`;
/** The quotes followed up: one sentence for one, the opening once and a list for several. */
const QUOTES_EN = q(
  '{% for quote in quotes %}We are following up on our quote {{ quote.number }} of {{ quote.dateText }}, for {{ quote.total }}, valid until {{ quote.validUntilText }}.{% endfor %}',
  'We are following up on our quotes:\n{% for quote in quotes %}- quote {{ quote.number }} of {{ quote.dateText }}, for {{ quote.total }}, valid until {{ quote.validUntilText }}{% unless forloop.last %}\n{% endunless %}{% endfor %}',
);
const QUOTES_EN_CLOSE = `We are happy to answer any questions or adapt ${q('it', 'them')} to your needs. ${q('To accept it, simply return it to us signed.', 'To accept one, simply return it to us signed.')}`;
const GREETING = '{% if contact.name %}Dear {{ contact.name }},{% else %}Dear Sir or Madam,{% endif %}';
const LETTER_OPENING = 'Dear Sir or Madam,';
const LETTER_CLOSING = 'Yours faithfully,';
const SIGNATURE = 'Kind regards,\n\n{{ company.legalName }}';

const LIST = `{% for invoice in invoices %}- Invoice {{ invoice.number }} of {{ invoice.issueDateText }}, due {{ invoice.dueDateText }}: {{ invoice.balance }} outstanding{% if invoice.daysOverdue > 0 %} ({{ invoice.daysOverdue }} day{% if invoice.daysOverdue > 1 %}s{% endif %} overdue){% endif %}
{% endfor %}`;

const CHARGES_TEXT = `{% if level.charges %}Late-payment interest to date: {{ totals.interest }}
Fixed compensation for recovery costs: {{ totals.indemnity }}
{% endif %}Total due: {{ totals.due }}`;
const UPCOMING_TEXT = `Total coming due: {{ totals.balance }}`;

const PAYMENT_TEXT = `{% if portal_url %}See and settle your invoices online: {{ portal_url }}
{% endif %}{% if payment.link %}Pay online: {{ payment.link }}
{% endif %}{% if company.iban %}By bank transfer: IBAN {{ company.iban }}{% if company.bic %}, BIC {{ company.bic }}{% endif %}, quoting the reference {{ payment.reference }}.
{% endif %}`;

// Business customers only: the fixed compensation is owed by professionals, not by consumers. The mention is the one of
// the law the charges are computed under (the seller's, or the customer's "loi applicable").
const LEGAL_REMINDER = `{{ law.mention }}`;

const TABLE = invoiceTableHtml({
  lang: 'en',
  invoice: 'Invoice',
  issued: 'Date',
  due: 'Due date',
  total: 'Total',
  balance: 'Outstanding',
  late: 'Overdue',
  days: 'days',
  totalBalance: 'Total outstanding',
});
const HTML_CHARGES = `{% if level.charges %}Late-payment interest to date: {{ totals.interest }}<br>Fixed compensation for recovery costs: {{ totals.indemnity }}<br>{% endif %}<strong>Total due: {{ totals.due }}</strong>`;
const HTML_UPCOMING = `<strong>Total coming due: {{ totals.balance }}</strong>`;
const HTML_PAYMENT = `{% if portal_url %}<p style="margin:0 0 12px;">See and settle your invoices online: <a href="{{ portal_url }}">{{ portal_url }}</a></p>{% endif %}
{% if payment.link %}<p style="margin:16px 0;"><a href="{{ payment.link }}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px;">Pay online</a></p>{% endif %}
{% if company.iban %}<p style="margin:0 0 12px;">By bank transfer: IBAN {{ company.iban }}{% if company.bic %}, BIC {{ company.bic }}{% endif %}, reference: <strong>{{ payment.reference }}</strong>.</p>{% endif %}`;
const HTML_SIGNATURE = 'Kind regards,<br>{{ company.legalName }}';

function reminder(options: {
  subject: string;
  intro: string;
  after: string[];
  letterIntro?: string;
  legal?: boolean;
  /** Invoices not yet due (Prérelance): their sum is announced as coming due, never demanded. */
  upcoming?: boolean;
}): Fields {
  const after = options.after.join('\n\n');
  const charges = options.upcoming ? UPCOMING_TEXT : CHARGES_TEXT;
  const htmlCharges = options.upcoming ? HTML_UPCOMING : HTML_CHARGES;
  const legal = options.legal ? `{% if customer.kind == 'company' %}\n\n${LEGAL_REMINDER}{% endif %}` : '';
  return {
    subject: options.subject,
    text: `${GREETING}\n\n${options.intro}\n\n${LIST}\n${charges}\n\n${PAYMENT_TEXT}\n${after}${legal}\n\n${SIGNATURE}\n`,
    html: htmlDocument('en', [
      GREETING,
      options.intro,
      TABLE,
      htmlCharges,
      HTML_PAYMENT,
      ...options.after,
      ...(options.legal
        ? [`{% if customer.kind == 'company' %}<p style="margin:0 0 12px;">${LEGAL_REMINDER}</p>{% endif %}`]
        : []),
      HTML_SIGNATURE,
    ]),
    letter: `${LETTER_OPENING}\n\n${options.letterIntro ?? options.intro}\n\n${after}${legal}\n\n${LETTER_CLOSING}\n`,
  };
}

const FORMAL_NOTICE_BODY = `Despite our previous reminders, ${n('invoice {{ references }} remains', 'invoices {{ references }} remain')} unpaid to date, for an outstanding amount of {{ totals.balance }}.

We hereby give you formal notice to pay us, within {{ payment.deadlineDays }} days of receipt of this letter, the sum of {{ totals.due }}{% if level.charges %}, made of:
- principal: {{ totals.balance }};{% if totals.interest.cents > 0 %}
- late-payment interest to {{ dateText }}{% if law.rateText %}, at {{ law.rateText }}{% endif %}: {{ totals.interest }};{% endif %}{% if totals.indemnity.cents > 0 %}
- fixed compensation for recovery costs of {{ law.indemnityText }}: {{ totals.indemnity }};{% endif %}
- total: {{ totals.due }},
in addition to the interest running until payment in full{% if customer.kind == 'company' %}, and without prejudice to further compensation on proof{% endif %} ({{ law.citation }}){% endif %}.

{% if level.charges == false and law.mention != '' %}{{ law.mention }}

{% endif %}Failing payment within this period, we will start without further notice {{ law.nextStep }}.

This letter constitutes a formal notice to pay.`;

export const ENGLISH_DEFAULTS: Record<TemplateKey, Fields> = {
  standard: {
    subject: `${n('Invoice', 'Invoices')} #REF# – {{ company.legalName }}`,
    text: `${GREETING}

Please find attached our ${n('invoice', 'invoices')} #REF#, for a total of {{ totals.total }}.

${LIST}
${PAYMENT_TEXT}
Please do not hesitate to contact us with any questions.

${SIGNATURE}
`,
    html: htmlDocument('en', [
      GREETING,
      `Please find attached our ${n('invoice', 'invoices')} #REF#, for a total of {{ totals.total }}.`,
      TABLE,
      HTML_PAYMENT,
      'Please do not hesitate to contact us with any questions.',
      HTML_SIGNATURE,
    ]),
    letter: `${LETTER_OPENING}

Please find enclosed our ${n('invoice', 'invoices')} {{ references }}, for a total of {{ totals.total }}, payable by the due ${n('date', 'dates')} shown.

Please do not hesitate to contact us with any questions.

${LETTER_CLOSING}
`,
  },
  prerelance: reminder({
    upcoming: true,
    subject: `Reminder: ${n('invoice', 'invoices')} #REF# due soon`,
    intro: `This is a friendly reminder that the following ${n('invoice is', 'invoices are')} due shortly.`,
    after: ['If you have already arranged payment, thank you, and please disregard this message.'],
  }),
  relance1: reminder({
    subject: `Payment reminder: ${n('invoice', 'invoices')} #REF#`,
    intro: `According to our records, we have not yet received payment of the following ${n('invoice, which is', 'invoices, which are')} now overdue.`,
    letterIntro: `According to our records, we have not yet received payment of ${n('invoice', 'invoices')} {{ references }}, now overdue, for an outstanding amount of {{ totals.balance }}.`,
    after: [
      'We would be grateful if you could settle this amount at your earliest convenience. If your payment has crossed with this message, please disregard it.',
    ],
  }),
  relance2: reminder({
    subject: `Second reminder: ${n('invoice', 'invoices')} #REF# overdue`,
    intro: `Despite our previous reminder, the following ${n('invoice remains', 'invoices remain')} unpaid.`,
    letterIntro: `Despite our previous reminder, ${n('invoice {{ references }} remains', 'invoices {{ references }} remain')} unpaid, for an outstanding amount of {{ totals.balance }}.`,
    after: [
      'Please settle this amount within eight days. If you are experiencing difficulties, contact us so that we can agree on a payment plan.',
    ],
    legal: true,
  }),
  relance3: reminder({
    subject: `Final reminder before formal notice: ${n('invoice', 'invoices')} #REF#`,
    intro: `Our previous reminders have gone unanswered and the following ${n('invoice remains', 'invoices remain')} unpaid.`,
    letterIntro: `Our previous reminders have gone unanswered and ${n('invoice {{ references }} remains', 'invoices {{ references }} remain')} unpaid, for an outstanding amount of {{ totals.balance }}.`,
    after: [
      'Unless we receive payment within eight days, we will have no choice but to send you a formal notice and start recovery proceedings.',
    ],
    legal: true,
  }),
  'mise-en-demeure': {
    subject: `Formal notice to pay – ${n('invoice', 'invoices')} #REF#`,
    text: `${GREETING}\n\n${FORMAL_NOTICE_BODY}\n\n${LIST}\n${CHARGES_TEXT}\n\n${PAYMENT_TEXT}\n${SIGNATURE}\n`,
    html: htmlDocument('en', [
      GREETING,
      ...FORMAL_NOTICE_BODY.split('\n\n').slice(0, 1),
      TABLE,
      HTML_CHARGES,
      ...FORMAL_NOTICE_BODY.split('\n\n').slice(1),
      HTML_PAYMENT,
      HTML_SIGNATURE,
    ]),
    letter: `${LETTER_OPENING}\n\n${FORMAL_NOTICE_BODY}\n\n${LETTER_CLOSING}\n`,
  },
  'relance-devis': {
    subject: `Following up on ${q('our quote', 'our quotes')} {% for quote in quotes %}{{ quote.number }}{% unless forloop.last %}, {% endunless %}{% endfor %}`,
    text: `${GREETING}

${QUOTES_EN}

${q('Have you had a chance to review it?', 'Have you had a chance to review them?')} ${QUOTES_EN_CLOSE}

{% if portal_url %}Your customer page, to see your invoices and answer us: {{ portal_url }}

{% endif %}${SIGNATURE}
`,
    html: htmlDocument('en', [
      GREETING,
      `${q(
        '{% for quote in quotes %}<p style="margin:0 0 12px;">We are following up on our quote <strong>{{ quote.number }}</strong> of {{ quote.dateText }}, for {{ quote.total }}, valid until {{ quote.validUntilText }}.</p>{% endfor %}',
        '<p style="margin:0 0 12px;">We are following up on our quotes:</p><ul>{% for quote in quotes %}<li>quote <strong>{{ quote.number }}</strong> of {{ quote.dateText }}, for {{ quote.total }}, valid until {{ quote.validUntilText }}</li>{% endfor %}</ul>',
      )}`,
      `${q('Have you had a chance to review it?', 'Have you had a chance to review them?')} ${QUOTES_EN_CLOSE}`,
      `{% if portal_url %}<p style="margin:0 0 12px;">Your customer page, to see your invoices and answer us: <a href="{{ portal_url }}">{{ portal_url }}</a></p>{% endif %}`,
      HTML_SIGNATURE,
    ]),
    letter: `${LETTER_OPENING}

${QUOTES_EN}

${QUOTES_EN_CLOSE}

${LETTER_CLOSING}
`,
  },
  remerciement: {
    subject: `Thank you for your payment – ${n('invoice', 'invoices')} #REF#`,
    text: `${GREETING}

We have received your payment of {{ totals.paid }} for ${n('invoice', 'invoices')} #REF#. Thank you.

We appreciate your business and remain at your disposal.

${SIGNATURE}
`,
    html: htmlDocument('en', [
      GREETING,
      `We have received your payment of {{ totals.paid }} for ${n('invoice', 'invoices')} #REF#. Thank you.`,
      'We appreciate your business and remain at your disposal.',
      HTML_SIGNATURE,
    ]),
    letter: `${LETTER_OPENING}

We have received your payment of {{ totals.paid }} for ${n('invoice', 'invoices')} {{ references }}. Thank you.

We appreciate your business and remain at your disposal.

${LETTER_CLOSING}
`,
  },
};

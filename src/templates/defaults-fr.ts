import { htmlDocument, invoiceTableHtml } from './defaults-html.ts';
import type { MessageTemplate, TemplateKey } from './keys.ts';

type Fields = Omit<MessageTemplate, 'key' | 'language'>;

/** Singular or plural by the number of quotes followed up. */
const q = (singular: string, plural: string) => `{% if quotes.size > 1 %}${plural}{% else %}${singular}{% endif %}`;
/** The quotes followed up: one sentence for one, the opening once and a list for several. */
const QUOTES_FR = q(
  "{% for quote in quotes %}Nous revenons vers vous au sujet de notre devis {{ quote.number }} du {{ quote.dateText }}, d'un montant de {{ quote.total }}, valable jusqu'au {{ quote.validUntilText }}.{% endfor %}",
  "Nous revenons vers vous au sujet de nos devis :\n{% for quote in quotes %}- devis {{ quote.number }} du {{ quote.dateText }}, d'un montant de {{ quote.total }}, valable jusqu'au {{ quote.validUntilText }}{% unless forloop.last %}\n{% endunless %}{% endfor %}",
);
const QUOTES_FR_CLOSE = `Nous restons à votre disposition pour répondre à vos questions ou ${q("l'adapter", 'les adapter')} à vos besoins. ${q("Pour l'accepter", "Pour accepter l'un d'eux")}, il vous suffit de nous le retourner signé avec la mention « Bon pour accord ».`;

/** Singular or plural by the number of invoices concerned. */
const n = (singular: string, plural: string) => `{% if invoices.size > 1 %}${plural}{% else %}${singular}{% endif %}`;

const GREETING = '{% if contact.name %}Bonjour {{ contact.name }},{% else %}Madame, Monsieur,{% endif %}';
const LETTER_CLOSING = "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.";
const SIGNATURE = 'Cordialement,\n\n{{ company.legalName }}';

const LIST = `{% for invoice in invoices %}- Facture {{ invoice.number }} du {{ invoice.issueDateText }}, échéance le {{ invoice.dueDateText }} : {{ invoice.balance }} restant dû{% if invoice.daysOverdue > 0 %} ({{ invoice.daysOverdue }} jour{% if invoice.daysOverdue > 1 %}s{% endif %} de retard){% endif %}
{% endfor %}`;

const CHARGES_TEXT = `{% if level.charges %}Pénalités de retard à ce jour : {{ totals.interest }}
Indemnité forfaitaire pour frais de recouvrement : {{ totals.indemnity }}
{% endif %}Total à régler : {{ totals.due }}`;
const UPCOMING_TEXT = `Total à échoir : {{ totals.balance }}`;

const PAYMENT_TEXT = `{% if portal_url %}Consultez et réglez vos factures en ligne : {{ portal_url }}
{% endif %}{% if payment.link %}Vous pouvez régler en ligne : {{ payment.link }}
{% endif %}{% if company.iban %}Par virement : IBAN {{ company.iban }}{% if company.bic %}, BIC {{ company.bic }}{% endif %}, en indiquant la référence {{ payment.reference }}.
{% endif %}`;

// Business customers only: the fixed compensation is owed by professionals, not by consumers. The mention is the one of
// the law the charges are computed under (the seller's, or the customer's "loi applicable").
const LEGAL_REMINDER = `{{ law.mention }}`;

const TABLE = invoiceTableHtml({
  lang: 'fr',
  invoice: 'Facture',
  issued: 'Date',
  due: 'Échéance',
  total: 'Montant TTC',
  balance: 'Reste dû',
  late: 'Retard',
  days: 'j',
  totalBalance: 'Total restant dû',
});
const HTML_GREETING = GREETING;
const HTML_CHARGES = `{% if level.charges %}Pénalités de retard à ce jour : {{ totals.interest }}<br>Indemnité forfaitaire pour frais de recouvrement : {{ totals.indemnity }}<br>{% endif %}<strong>Total à régler : {{ totals.due }}</strong>`;
const HTML_UPCOMING = `<strong>Total à échoir : {{ totals.balance }}</strong>`;
const HTML_PAYMENT = `{% if portal_url %}<p style="margin:0 0 12px;">Consultez et réglez vos factures en ligne : <a href="{{ portal_url }}">{{ portal_url }}</a></p>{% endif %}
{% if payment.link %}<p style="margin:16px 0;"><a href="{{ payment.link }}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px;">Régler en ligne</a></p>{% endif %}
{% if company.iban %}<p style="margin:0 0 12px;">Par virement : IBAN {{ company.iban }}{% if company.bic %}, BIC {{ company.bic }}{% endif %}, référence à indiquer : <strong>{{ payment.reference }}</strong>.</p>{% endif %}`;
const HTML_SIGNATURE = 'Cordialement,<br>{{ company.legalName }}';

/** A reminder's three bodies from its paragraphs, so text, HTML and letter say the same thing. */
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
    html: htmlDocument('fr', [
      HTML_GREETING,
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
    letter: `Madame, Monsieur,\n\n${options.letterIntro ?? options.intro}\n\n${after}${legal}\n\n${LETTER_CLOSING}\n`,
  };
}

const MISE_EN_DEMEURE_BODY = `Malgré nos précédentes relances, nous constatons que ${n('la facture {{ references }} reste impayée', 'les factures {{ references }} restent impayées')} à ce jour, pour un montant de {{ totals.balance }}.

Par la présente, nous vous mettons en demeure de nous régler, dans un délai de {{ payment.deadlineDays }} jours à compter de la réception de ce courrier, la somme de {{ totals.due }}{% if level.charges %}, soit :
- principal : {{ totals.balance }} ;{% if totals.interest.cents > 0 %}
- intérêts de retard arrêtés au {{ dateText }}{% if law.rateText %}, au {{ law.rateText }}{% endif %} : {{ totals.interest }} ;{% endif %}{% if totals.indemnity.cents > 0 %}
- indemnité forfaitaire pour frais de recouvrement de {{ law.indemnityText }} : {{ totals.indemnity }} ;{% endif %}
- total : {{ totals.due }},
outre les pénalités à courir jusqu'au complet paiement{% if customer.kind == 'company' %}, et sans préjudice d'une indemnisation complémentaire sur justification{% endif %} ({{ law.citation }}){% endif %}.

{% if level.charges == false and law.mention != '' %}{{ law.mention }}

{% endif %}À défaut de règlement dans ce délai, nous engagerons sans autre avis {{ law.nextStep }}.

{% if law.code == 'FR' %}La présente lettre vaut mise en demeure au sens de l'article 1344 du Code civil.{% else %}La présente lettre vaut mise en demeure.{% endif %}`;

export const FRENCH_DEFAULTS: Record<TemplateKey, Fields> = {
  standard: {
    subject: `${n('Facture', 'Factures')} #REF# – {{ company.legalName }}`,
    text: `${GREETING}

Veuillez trouver ci-joint ${n('notre facture', 'nos factures')} #REF#, d'un montant total de {{ totals.total }}.

${LIST}
${PAYMENT_TEXT}
Nous restons à votre disposition pour toute question.

${SIGNATURE}
`,
    html: htmlDocument('fr', [
      HTML_GREETING,
      `Veuillez trouver ci-joint ${n('notre facture', 'nos factures')} #REF#, d'un montant total de {{ totals.total }}.`,
      TABLE,
      HTML_PAYMENT,
      'Nous restons à votre disposition pour toute question.',
      HTML_SIGNATURE,
    ]),
    letter: `Madame, Monsieur,

Veuillez trouver ci-joint ${n('notre facture', 'nos factures')} {{ references }}, d'un montant total de {{ totals.total }}, dont le règlement est attendu à ${n("l'échéance indiquée", 'leurs échéances respectives')}.

Nous restons à votre disposition pour toute question.

${LETTER_CLOSING}
`,
  },
  prerelance: reminder({
    upcoming: true,
    subject: `Rappel : ${n('échéance prochaine de la facture', 'échéances prochaines des factures')} #REF#`,
    intro: `Nous nous permettons de vous rappeler que ${n('la facture suivante arrive', 'les factures suivantes arrivent')} prochainement à échéance.`,
    after: [
      'Si votre règlement est déjà en cours, nous vous en remercions et vous prions de ne pas tenir compte de ce message.',
    ],
  }),
  relance1: reminder({
    subject: `Relance : ${n('facture', 'factures')} #REF# en attente de règlement`,
    intro: `Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement ${n('de la facture suivante, arrivée', 'des factures suivantes, arrivées')} à échéance.`,
    letterIntro: `Sauf erreur ou omission de notre part, nous n'avons pas encore reçu le règlement ${n('de la facture {{ references }}, arrivée', 'des factures {{ references }}, arrivées')} à échéance, pour un montant restant dû de {{ totals.balance }}.`,
    after: [
      'Nous vous remercions de bien vouloir procéder à ce règlement dans les meilleurs délais. Si votre paiement a été effectué entre-temps, merci de ne pas tenir compte de ce message.',
    ],
  }),
  relance2: reminder({
    subject: `2e relance : ${n('facture', 'factures')} #REF# impayée${n('', 's')}`,
    intro: `Malgré notre précédente relance, nous constatons que ${n('la facture suivante reste impayée', 'les factures suivantes restent impayées')} à ce jour.`,
    letterIntro: `Malgré notre précédente relance, nous constatons que ${n('la facture {{ references }} reste impayée', 'les factures {{ references }} restent impayées')} à ce jour, pour un montant restant dû de {{ totals.balance }}.`,
    after: [
      "Nous vous demandons de bien vouloir régulariser cette situation sous huit jours. En cas de difficulté, contactez-nous sans attendre afin de convenir ensemble d'un échéancier.",
    ],
    legal: true,
  }),
  relance3: reminder({
    subject: `Dernière relance avant mise en demeure : ${n('facture', 'factures')} #REF#`,
    intro: `Nos précédentes relances étant restées sans effet, nous constatons que ${n('la facture suivante reste impayée', 'les factures suivantes restent impayées')} à ce jour.`,
    letterIntro: `Nos précédentes relances étant restées sans effet, nous constatons que ${n('la facture {{ references }} reste impayée', 'les factures {{ references }} restent impayées')} à ce jour, pour un montant restant dû de {{ totals.balance }}.`,
    after: [
      "Sans règlement de votre part sous huit jours, nous serons contraints de vous adresser une mise en demeure, puis d'engager une procédure de recouvrement.",
    ],
    legal: true,
  }),
  'mise-en-demeure': {
    subject: `Mise en demeure de payer – ${n('facture', 'factures')} #REF#`,
    text: `${GREETING}\n\n${MISE_EN_DEMEURE_BODY}\n\n${LIST}\n${CHARGES_TEXT}\n\n${PAYMENT_TEXT}\n${SIGNATURE}\n`,
    html: htmlDocument('fr', [
      HTML_GREETING,
      ...MISE_EN_DEMEURE_BODY.split('\n\n').slice(0, 1),
      TABLE,
      HTML_CHARGES,
      ...MISE_EN_DEMEURE_BODY.split('\n\n').slice(1),
      HTML_PAYMENT,
      HTML_SIGNATURE,
    ]),
    letter: `Madame, Monsieur,\n\n${MISE_EN_DEMEURE_BODY}\n\n${LETTER_CLOSING}\n`,
  },
  'relance-devis': {
    subject: `Suivi de ${q('notre devis', 'nos devis')} {% for quote in quotes %}{{ quote.number }}{% unless forloop.last %}, {% endunless %}{% endfor %}`,
    text: `${GREETING}

${QUOTES_FR}

Avez-vous pu en prendre connaissance ? ${QUOTES_FR_CLOSE}

{% if portal_url %}Votre espace client, pour consulter vos factures et nous répondre : {{ portal_url }}

{% endif %}${SIGNATURE}
`,
    html: htmlDocument('fr', [
      HTML_GREETING,
      `${q(
        '{% for quote in quotes %}<p style="margin:0 0 12px;">Nous revenons vers vous au sujet de notre devis <strong>{{ quote.number }}</strong> du {{ quote.dateText }}, d\'un montant de {{ quote.total }}, valable jusqu\'au {{ quote.validUntilText }}.</p>{% endfor %}',
        '<p style="margin:0 0 12px;">Nous revenons vers vous au sujet de nos devis :</p><ul>{% for quote in quotes %}<li>devis <strong>{{ quote.number }}</strong> du {{ quote.dateText }}, d\'un montant de {{ quote.total }}, valable jusqu\'au {{ quote.validUntilText }}</li>{% endfor %}</ul>',
      )}`,
      `Avez-vous pu en prendre connaissance ? ${QUOTES_FR_CLOSE}`,
      `{% if portal_url %}<p style="margin:0 0 12px;">Votre espace client, pour consulter vos factures et nous répondre : <a href="{{ portal_url }}">{{ portal_url }}</a></p>{% endif %}`,
      HTML_SIGNATURE,
    ]),
    letter: `Madame, Monsieur,

${QUOTES_FR}

${QUOTES_FR_CLOSE}

${LETTER_CLOSING}
`,
  },
  remerciement: {
    subject: `Merci pour votre règlement – ${n('facture', 'factures')} #REF#`,
    text: `${GREETING}

Nous avons bien reçu votre règlement de {{ totals.paid }} concernant ${n('la facture', 'les factures')} #REF# et nous vous en remercions.

Nous vous remercions de votre confiance et restons à votre disposition.

${SIGNATURE}
`,
    html: htmlDocument('fr', [
      HTML_GREETING,
      `Nous avons bien reçu votre règlement de {{ totals.paid }} concernant ${n('la facture', 'les factures')} #REF# et nous vous en remercions.`,
      'Nous vous remercions de votre confiance et restons à votre disposition.',
      HTML_SIGNATURE,
    ]),
    letter: `Madame, Monsieur,

Nous avons bien reçu votre règlement de {{ totals.paid }} concernant ${n('la facture', 'les factures')} {{ references }} et nous vous en remercions.

Nous vous remercions de votre confiance et restons à votre disposition.

${LETTER_CLOSING}
`,
  },
};

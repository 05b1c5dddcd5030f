/**
 * Every variable a template can use, for the documentation and the future web editor. Names are paths
 * in the message context; `invoices[]` is one invoice inside `{% for invoice in invoices %}` (written
 * `invoice.number` there). A `money` value prints as text in the customer's language (`1 234,56 €`) and
 * has `.cents` for comparisons: `{% if totals.interest.cents > 0 %}`.
 */
export type VariableType = 'text' | 'number' | 'date' | 'money' | 'boolean' | 'list' | 'text list' | 'group';
export type TemplateVariable = { name: string; type: VariableType; fr: string; en: string; nullable?: boolean };

const v = (name: string, type: VariableType, fr: string, en: string, nullable = false): TemplateVariable =>
  ({ name, type, fr, en, ...(nullable ? { nullable } : {}) });

const address = (owner: 'company' | 'customer', fr: string, en: string): TemplateVariable[] => [
  v(`${owner}.address`, 'group', `Adresse ${fr}`, `The ${en} address`),
  v(`${owner}.address.lines`, 'text list', `Lignes de rue de l'adresse ${fr}`, `Street lines of the ${en} address`),
  v(`${owner}.address.postcode`, 'text', `Code postal ${fr}`, `Postcode of the ${en}`, true),
  v(`${owner}.address.city`, 'text', `Ville ${fr}`, `City of the ${en}`, true),
  v(`${owner}.address.country`, 'text', `Pays ${fr}, en toutes lettres`, `Country of the ${en}, in words`, true),
  v(`${owner}.address.block`, 'text list', `Adresse ${fr} prête à imprimer, ligne par ligne`, `The ${en} address ready to print, line by line`),
];

export const VARIABLES: TemplateVariable[] = [
  v('language', 'text', 'Langue du message : fr ou en', 'Language of the message: fr or en'),
  v('date', 'date', 'Date du message (AAAA-MM-JJ)', 'Date of the message (YYYY-MM-DD)'),
  v('dateText', 'text', 'Date du message en toutes lettres : 16/03/2026', 'Date of the message as text: 16 March 2026'),
  v('level', 'group', 'Le niveau de relance du message', 'The reminder level of the message'),
  v('level.number', 'number', 'Niveau de relance (0 = premier envoi ou remerciement)', 'Reminder level (0 = first sending or thanks)'),
  v('level.label', 'text', 'Libellé du niveau : « 1ère relance », « Mise en demeure »…', 'Label of the level: "1ère relance", "Mise en demeure"…'),
  v('level.formalNotice', 'boolean', 'Vrai pour une mise en demeure', 'True for a formal notice'),
  v('level.charges', 'boolean', 'Vrai quand ce niveau réclame les pénalités et l\'indemnité', 'True when this level claims interest and compensation'),
  v('company', 'group', 'Votre société', 'Your company'),
  v('company.id', 'text', 'Identifiant de votre société', 'Your company\'s id'),
  v('company.legalName', 'text', 'Raison sociale de votre société', 'Your company\'s legal name'),
  v('company.siren', 'text', 'SIREN de votre société', 'Your company\'s SIREN', true),
  v('company.vatNumber', 'text', 'N° de TVA intracommunautaire', 'Your VAT number', true),
  ...address('company', 'de votre société', 'company\'s'),
  v('company.iban', 'text', 'IBAN de votre compte', 'Your bank account IBAN', true),
  v('company.bic', 'text', 'BIC de votre banque', 'Your bank\'s BIC', true),
  v('company.letterhead', 'text', 'Texte d\'en-tête de vos courriers', 'Letterhead line of your letters', true),
  v('company.city', 'text', 'Ville de votre société (« Fait à … »)', 'Your company\'s city', true),
  v('customer', 'group', 'Le client', 'The customer'),
  v('customer.id', 'text', 'Identifiant du client', 'Customer id'),
  v('customer.code', 'text', 'Code client', 'Customer code'),
  v('customer.name', 'text', 'Nom du client', 'Customer name'),
  v('customer.kind', 'text', 'company (professionnel) ou individual (particulier)', 'company (business) or individual (consumer)'),
  ...address('customer', 'du client', 'customer\'s'),
  v('customer.salesRep', 'text', 'Représentant du client', 'Customer\'s sales rep', true),
  v('customer.language', 'text', 'Langue du client', 'Customer\'s language'),
  v('contact', 'group', 'Contact de facturation principal ; vide sans contact : {% if contact %}', 'Main billing contact; empty without one: {% if contact %}', true),
  v('contact.name', 'text', 'Nom du contact de facturation principal', 'Name of the main billing contact', true),
  v('contact.email', 'text', 'E-mail du contact principal', 'E-mail of the main contact', true),
  v('contact.phone', 'text', 'Téléphone du contact principal', 'Phone of the main contact', true),
  v('recipients', 'text list', 'Adresses e-mail de facturation, la principale d\'abord', 'Billing e-mail addresses, the main one first'),
  v('currency', 'text', 'Devise des factures (EUR…)', 'Currency of the invoices (EUR…)'),
  v('invoices', 'list', 'Factures concernées : {% for invoice in invoices %}…{% endfor %}', 'Invoices concerned: {% for invoice in invoices %}…{% endfor %}'),
  v('invoices[].id', 'text', 'Identifiant de la facture', 'Invoice id'),
  v('invoices[].number', 'text', 'Numéro de la facture', 'Invoice number'),
  v('invoices[].title', 'text', 'Objet de la facture', 'Invoice title', true),
  v('invoices[].issueDate', 'date', 'Date de la facture (AAAA-MM-JJ)', 'Invoice date (YYYY-MM-DD)'),
  v('invoices[].dueDate', 'date', 'Échéance (AAAA-MM-JJ)', 'Due date (YYYY-MM-DD)'),
  v('invoices[].issueDateText', 'text', 'Date de la facture : 15/03/2026', 'Invoice date: 15 March 2026'),
  v('invoices[].dueDateText', 'text', 'Échéance : 15/03/2026', 'Due date: 15 March 2026'),
  v('invoices[].currency', 'text', 'Devise de la facture', 'Invoice currency'),
  v('invoices[].total', 'money', 'Montant TTC', 'Total including tax'),
  v('invoices[].paid', 'money', 'Déjà réglé (paiements et avoirs)', 'Already paid (payments and credit notes)'),
  v('invoices[].balance', 'money', 'Reste dû', 'Outstanding balance'),
  v('invoices[].daysOverdue', 'number', 'Jours de retard (0 avant l\'échéance)', 'Days overdue (0 before the due date)'),
  v('invoices[].reminders', 'list', 'Relances déjà envoyées, la plus ancienne d\'abord', 'Reminders already sent, oldest first'),
  v('invoices[].reminders[].level', 'number', 'Niveau de la relance envoyée', 'Level of the reminder sent'),
  v('invoices[].reminders[].sentOn', 'date', 'Date d\'envoi (AAAA-MM-JJ)', 'Date sent (YYYY-MM-DD)'),
  v('invoices[].charges', 'group', 'Pénalités de la facture à la date du message ; vide quand la politique les désactive', 'The invoice\'s late-payment charges; empty when the policy turns them off', true),
  v('invoices[].charges.interest', 'money', 'Intérêts de retard à ce jour', 'Late-payment interest to date', true),
  v('invoices[].charges.indemnity', 'money', 'Indemnité forfaitaire de recouvrement', 'Fixed recovery compensation', true),
  v('invoices[].charges.notes', 'text list', 'Précisions sur le calcul', 'Notes on the computation'),
  v('invoices[].hasStoredPdf', 'boolean', 'Vrai quand le PDF d\'origine de la facture est enregistré', 'True when the invoice\'s own PDF is stored'),
  v('references', 'text', 'Numéros des factures séparés par des virgules (la macro #REF# les insère)', 'Invoice numbers, comma-separated (what #REF# inserts)'),
  v('totals', 'group', 'Totaux des factures concernées', 'Totals of the invoices concerned'),
  v('totals.total', 'money', 'Total TTC des factures', 'Total of the invoices'),
  v('totals.paid', 'money', 'Total déjà réglé', 'Total already paid'),
  v('totals.balance', 'money', 'Total restant dû', 'Total outstanding'),
  v('totals.interest', 'money', 'Intérêts réclamés (0 si ce niveau n\'en réclame pas)', 'Interest claimed (0 unless this level claims it)'),
  v('totals.indemnity', 'money', 'Indemnités réclamées (0 si ce niveau n\'en réclame pas)', 'Compensation claimed (0 unless this level claims it)'),
  v('totals.due', 'money', 'Total à régler : reste dû + intérêts + indemnités réclamés', 'Total to pay: outstanding + claimed interest and compensation'),
  v('payment', 'group', 'Paiement : référence, lien, date limite', 'Payment: reference, link, deadline'),
  v('payment.reference', 'text', 'Référence à indiquer sur le virement', 'Reference to quote on the transfer'),
  v('payment.link', 'text', 'Lien de paiement en ligne (réglage de la société)', 'Online payment link (company setting)', true),
  v('payment.deadline', 'date', 'Date limite de paiement d\'une mise en demeure', 'Payment deadline of a formal notice', true),
  v('payment.deadlineText', 'text', 'Date limite en toutes lettres', 'Deadline as text', true),
  v('payment.deadlineDays', 'number', 'Délai accordé par la mise en demeure, en jours (8 par défaut)', 'Days the formal notice gives (8 by default)', true),
  v('quotes', 'list', 'Devis concernés (relance de devis) : {% for quote in quotes %}…{% endfor %}', 'Quotes concerned (quote follow-up)'),
  v('quotes[].id', 'text', 'Identifiant du devis', 'Quote id'),
  v('quotes[].number', 'text', 'Numéro du devis', 'Quote number'),
  v('quotes[].date', 'date', 'Date du devis (AAAA-MM-JJ)', 'Quote date (YYYY-MM-DD)'),
  v('quotes[].dateText', 'text', 'Date du devis en toutes lettres', 'Quote date as text'),
  v('quotes[].validUntil', 'date', 'Fin de validité (AAAA-MM-JJ)', 'Valid until (YYYY-MM-DD)'),
  v('quotes[].validUntilText', 'text', 'Fin de validité en toutes lettres', 'Valid until, as text'),
  v('quotes[].currency', 'text', 'Devise du devis', 'Quote currency'),
  v('quotes[].total', 'money', 'Montant du devis', 'Quote total'),
];

/** Filters a template may use besides liquid's standard ones (upcase, default, date formats…). */
export const FILTERS = [
  { name: 'money', fr: 'Montant en centimes → texte : {{ 123456 | money }} donne 1 234,56 €', en: 'Cents → text: {{ 123456 | money }} gives €1,234.56' },
  { name: 'date', fr: 'Date AAAA-MM-JJ → texte : {{ invoice.dueDate | date }} donne 15/03/2026', en: 'YYYY-MM-DD → text: 15 March 2026' },
  { name: 'raw', fr: 'Dans le HTML, insère une valeur sans l\'échapper (à éviter)', en: 'In HTML, prints a value unescaped (avoid)' },
] as const;

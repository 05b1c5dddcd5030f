import type { Language } from '../domain/ledger.ts';

/** Every fixed wording of the documents, in French and English. */
const fr = {
  subject: 'Objet :',
  customerRef: (code: string) => `Votre code client\u00a0: ${code}`,
  placeDate: (city: string | null, date: string) => (city ? `${city}, le ${date}` : `Le ${date}`),
  columns: ['Facture', 'Date', 'Échéance', 'Montant TTC', 'Réglé', 'Solde', 'Retard (j)'],
  continued: 'suite',
  page: (n: number) => `Page ${n}`,
  balance: 'Solde dû',
  interest: 'Intérêts de retard',
  indemnity: 'Indemnité forfaitaire pour frais de recouvrement',
  due: 'Total à régler',
  payBy: 'Règlement par virement',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Référence à indiquer',
  link: 'Payer en ligne',
  qr: 'Scannez ce code avec votre application bancaire pour préremplir le virement.',
  signature: 'Le service comptabilité',
  registered: 'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
  noticeTitle: 'Mise en demeure de payer',
  notice: (amount: string, deadline: string) => `Par la présente, nous vous mettons en demeure de nous régler la somme de ${amount} ` +
    `au plus tard le ${deadline}.`,
  noticeFollowUp: 'À défaut de paiement dans ce délai, nous engagerons sans autre avis une procédure de recouvrement\u00a0: ' +
    'procédure simplifiée de recouvrement des petites créances par commissaire de justice, ou requête en injonction de payer ' +
    'devant le tribunal compétent. Les frais de cette procédure resteront à votre charge.',
  noticeInterest: 'Les sommes dues portent intérêts de retard jusqu’à complet paiement.',
  legal: {
    FR: 'Conformément aux articles L441-10 et D441-5 du Code de commerce, tout retard de paiement entraîne de plein droit ' +
      'des pénalités de retard et une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€.',
    GB: 'Conformément au Late Payment of Commercial Debts (Interest) Act 1998, tout retard de paiement ouvre droit à des ' +
      'intérêts de retard et à une indemnité forfaitaire de recouvrement.',
    EU: 'Conformément à la directive 2011/7/UE concernant la lutte contre le retard de paiement, tout retard de paiement ' +
      'entraîne des intérêts de retard et une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€.',
    individual: 'Conformément à l’article 1231-6 du Code civil, les sommes dues portent intérêts au taux légal à compter ' +
      'de la mise en demeure.',
  },
  siren: 'SIREN',
  vat: 'TVA',
  copy: 'COPIE DE FACTURE',
  invoice: 'Facture',
  issueDate: 'Date d’émission',
  dueDate: 'Date d’échéance',
  customer: 'Client',
  description: 'Désignation',
  totalExclTax: 'Total HT',
  tax: 'TVA',
  total: 'Total TTC',
  paid: 'Déjà réglé',
  copyNote: 'Copie établie à partir de notre comptabilité\u00a0; l’original vous a été adressé à la date d’émission.',
  statement: 'Relevé de compte',
  statementAt: (date: string) => `Situation au ${date}`,
  statementColumns: ['Facture', 'Date', 'Échéance', 'Montant TTC', 'Réglé', 'Solde', 'Retard (j)'],
  aging: 'Balance âgée',
  agingBuckets: ['Non échu', '1 à 30 j', '31 à 60 j', '61 à 90 j', 'Plus de 90 j', 'Total'],
  summary: 'Synthèse des relances',
  summaryColumns: ['Facture', 'Mois', 'Client', 'Montant', 'Échéance', 'Relances suiv.', 'Retard'],
  days: (n: number) => `${n} j`,
  none: 'Aucune facture.',
  generated: (date: string) => `Édité le ${date}`,
};

type Texts = typeof fr;

const en: Texts = {
  subject: 'Subject:',
  customerRef: (code) => `Your customer code: ${code}`,
  placeDate: (city, date) => (city ? `${city}, ${date}` : date),
  columns: ['Invoice', 'Date', 'Due date', 'Total', 'Paid', 'Balance', 'Days late'],
  continued: 'continued',
  page: (n) => `Page ${n}`,
  balance: 'Balance due',
  interest: 'Late-payment interest',
  indemnity: 'Fixed compensation for recovery costs',
  due: 'Total to pay',
  payBy: 'Payment by bank transfer',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Reference to quote',
  link: 'Pay online',
  qr: 'Scan this code with your banking app to fill in the transfer.',
  signature: 'Accounts receivable',
  registered: 'REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT',
  noticeTitle: 'Formal notice to pay',
  notice: (amount, deadline) => `We hereby give you formal notice to pay us the sum of ${amount} by ${deadline} at the latest.`,
  noticeFollowUp: 'Failing payment within this time, we will start recovery proceedings without further notice: the simplified ' +
    'procedure for the recovery of small claims by a judicial officer, or an application for an order for payment (injonction ' +
    'de payer) before the competent court. The costs of these proceedings will be borne by you.',
  noticeInterest: 'The sums due bear late-payment interest until paid in full.',
  legal: {
    FR: 'Under articles L441-10 and D441-5 of the French Commercial Code, any late payment automatically incurs late-payment ' +
      'interest and a fixed compensation of €40 for recovery costs.',
    GB: 'Under the Late Payment of Commercial Debts (Interest) Act 1998, late payment entitles us to statutory interest and ' +
      'a fixed sum for recovery costs.',
    EU: 'Under Directive 2011/7/EU on combating late payment, any late payment incurs late-payment interest and a fixed ' +
      'compensation of €40 for recovery costs.',
    individual: 'Under article 1231-6 of the French Civil Code, the sums due bear interest at the legal rate from the formal notice.',
  },
  siren: 'SIREN',
  vat: 'VAT',
  copy: 'INVOICE COPY',
  invoice: 'Invoice',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  customer: 'Customer',
  description: 'Description',
  totalExclTax: 'Total excl. tax',
  tax: 'VAT',
  total: 'Total incl. tax',
  paid: 'Already paid',
  copyNote: 'Copy drawn from our accounts; the original was sent to you on the issue date.',
  statement: 'Statement of account',
  statementAt: (date) => `As of ${date}`,
  statementColumns: ['Invoice', 'Date', 'Due date', 'Total', 'Paid', 'Balance', 'Days late'],
  aging: 'Aged balance',
  agingBuckets: ['Not due', '1–30 days', '31–60 days', '61–90 days', 'Over 90 days', 'Total'],
  summary: 'Reminders summary',
  summaryColumns: ['Invoice', 'Month', 'Customer', 'Amount', 'Due date', 'Later', 'Late'],
  days: (n) => `${n} d`,
  none: 'No invoice.',
  generated: (date) => `Printed on ${date}`,
};

export function textsFor(language: Language): Texts {
  return language === 'en' ? en : fr;
}

/** Which late-payment wording applies: the customer's kind first, then its country's law. */
export function legalMention(language: Language, kind: 'company' | 'individual', country: string | null): string {
  const t = textsFor(language).legal;
  if (kind === 'individual') return t.individual;
  if (country === null || country === 'FR') return t.FR;
  return country === 'GB' ? t.GB : t.EU;
}

import type { Language } from '../domain/ledger.ts';

/** The parts of a formal notice's claim, ready to print. */
export type NoticeBreakdown = {
  principal: string;
  interest: string | null;
  date: string;
  rate: string | null;
  indemnity: string | null;
  indemnityRule: string | null;
  citation: string;
  business: boolean;
};

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
  /** A Prérelance's invoices are not due yet: their sum is announced, not demanded. */
  comingDue: 'Total à échoir',
  payBy: 'Règlement par virement',
  payWith: 'Règlement',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Référence à indiquer',
  link: 'Payer en ligne',
  portal: 'Vos factures en ligne',
  qr: 'Scannez ce code avec votre application bancaire pour préremplir le virement.',
  signature: 'Le service comptabilité',
  registered: 'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
  noticeTitle: 'Mise en demeure de payer',
  notice: (amount: string, days: number) =>
    `Par la présente, nous vous mettons en demeure de nous régler la somme de ${amount} ` +
    `dans un délai de ${days}\u00a0jours à compter de la réception de ce courrier.`,
  noticeBreakdown: (b: NoticeBreakdown) =>
    `Cette somme se compose du principal (${b.principal})` +
    (b.interest
      ? `, des intérêts de retard arrêtés au ${b.date}${b.rate ? `, au ${b.rate}` : ''} (${b.interest})`
      : '') +
    (b.indemnity
      ? `, de l’indemnité forfaitaire pour frais de recouvrement${b.indemnityRule ? ` de ${b.indemnityRule}` : ''} (${b.indemnity})`
      : '') +
    `, outre les pénalités à courir jusqu’au complet paiement${b.business ? ' et sans préjudice d’une indemnisation complémentaire sur justification' : ''}` +
    ` (${b.citation}).`,
  noticeFollowUp: (step: string) => `À défaut de paiement dans ce délai, nous engagerons sans autre avis ${step}.`,
  siren: 'SIREN',
  vat: 'TVA',
  phone: 'Tél.',
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
  comingDue: 'Total coming due',
  payBy: 'Payment by bank transfer',
  payWith: 'Payment',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Reference to quote',
  link: 'Pay online',
  portal: 'Your invoices online',
  qr: 'Scan this code with your banking app to fill in the transfer.',
  signature: 'Accounts receivable',
  registered: 'REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT',
  noticeTitle: 'Formal notice to pay',
  notice: (amount, days) =>
    `We hereby give you formal notice to pay us the sum of ${amount} within ${days} days of receipt of this letter.`,
  noticeBreakdown: (b) =>
    `This sum is made of the principal (${b.principal})` +
    (b.interest ? `, late-payment interest to ${b.date}${b.rate ? ` at ${b.rate}` : ''} (${b.interest})` : '') +
    (b.indemnity
      ? `, the fixed compensation for recovery costs${b.indemnityRule ? ` of ${b.indemnityRule}` : ''} (${b.indemnity})`
      : '') +
    `, in addition to the interest running until payment in full${b.business ? ' and without prejudice to further compensation on proof' : ''}` +
    ` (${b.citation}).`,
  noticeFollowUp: (step) => `Failing payment within this time, we will start without further notice ${step}.`,
  siren: 'SIREN',
  vat: 'VAT',
  phone: 'Tel.',
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

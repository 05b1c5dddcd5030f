import type { ContextInvoice, MessageContext, MoneyText } from '../../src/communications/message-context.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { lawTexts } from '../../src/documents/law-texts.ts';

/** A hand-built context, as the loader would give it, for layout tests that need no database. */
export function money(cents: number, language: 'fr' | 'en' = 'fr'): MoneyText {
  return { cents, text: formatMoney(cents, 'EUR', language === 'fr' ? 'fr-FR' : 'en-GB') };
}

export function invoice(
  n: number,
  overrides: Partial<ContextInvoice> = {},
  language: 'fr' | 'en' = 'fr',
): ContextInvoice {
  const total = 120_000 + n * 1_234;
  const paid = n % 3 === 0 ? 20_000 : 0;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    number: `FA-2026-${String(n).padStart(4, '0')}`,
    title: `Prestation ${n}`,
    issueDate: '2026-01-15',
    dueDate: '2026-02-14',
    issueDateText: language === 'fr' ? '15/01/2026' : '15 January 2026',
    dueDateText: language === 'fr' ? '14/02/2026' : '14 February 2026',
    currency: 'EUR',
    total: money(total, language),
    paid: money(paid, language),
    balance: money(total - paid, language),
    daysOverdue: 42,
    reminders: [{ level: 1, sentOn: '2026-02-24' }],
    charges: { interest: money(1_523, language), indemnity: money(4_000, language), notes: [] },
    hasStoredPdf: false,
    ...overrides,
  };
}

export function context(
  options: {
    language?: 'fr' | 'en';
    invoices?: number;
    formalNotice?: boolean;
    kind?: 'company' | 'individual';
    iban?: string | null;
  } = {},
): MessageContext {
  const language = options.language ?? 'fr';
  const invoices = Array.from({ length: options.invoices ?? 2 }, (_, i) => invoice(i + 1, {}, language));
  const sum = (pick: (i: ContextInvoice) => number) => invoices.reduce((s, i) => s + pick(i), 0);
  const balance = sum((i) => i.balance.cents);
  const interest = sum((i) => i.charges?.interest?.cents ?? 0);
  const indemnity = (options.kind ?? 'company') === 'company' ? 4_000 * invoices.length : 0;
  const formalNotice = options.formalNotice ?? false;
  return {
    language,
    date: '2026-03-28',
    dateText: language === 'fr' ? '28/03/2026' : '28 March 2026',
    level: {
      number: formalNotice ? 4 : 2,
      label: formalNotice ? 'Mise en demeure' : '2ème relance',
      formalNotice,
      charges: true,
    },
    company: {
      id: '00000000-0000-4000-8000-00000000c0de',
      legalName: 'Boulangerie Éclair SARL',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      address: {
        lines: ['12 rue de la Paix'],
        postcode: '69002',
        city: 'Lyon',
        country: 'France',
        countryCode: 'FR',
        block: ['12 rue de la Paix', '69002 Lyon'],
      },
      iban: options.iban === undefined ? 'FR76 3000 6000 0112 3456 7890 189' : options.iban,
      bic: 'AGRIFRPP',
      letterhead: 'Tél. 04 72 00 00 00',
      city: 'Lyon',
    },
    customer: {
      id: '00000000-0000-4000-8000-0000000c0570',
      code: 'C042',
      name: 'Société Générale des Crêpes Françaises',
      kind: options.kind ?? 'company',
      address: {
        lines: ['Bâtiment B', '4 allée des Érables'],
        postcode: '13008',
        city: 'Marseille',
        country: 'France',
        countryCode: 'FR',
        block: ['Bâtiment B', '4 allée des Érables', '13008 Marseille'],
      },
      salesRep: 'Anaïs Lefèvre',
      language,
    },
    contact: { name: 'Jérôme Dupré', email: 'compta@crepes.example', phone: null },
    recipients: ['compta@crepes.example'],
    currency: 'EUR',
    invoices,
    references: invoices.map((i) => i.number).join(', '),
    totals: {
      total: money(
        sum((i) => i.total.cents),
        language,
      ),
      paid: money(
        sum((i) => i.paid.cents),
        language,
      ),
      balance: money(balance, language),
      interest: money(interest, language),
      indemnity: money(indemnity, language),
      due: money(balance + interest + indemnity, language),
    },
    law: lawTexts({
      law: 'FR',
      kind: options.kind ?? 'company',
      language,
      basis: { kind: 'ecb', points: 10, bp: 1215 },
      nextStep: 'fr_injunction',
    }),
    payment: {
      reference: invoices.length > 2 ? 'C042' : invoices.map((i) => i.number).join(' '),
      link: 'https://pay.example/c042',
      deadline: formalNotice ? '2026-04-05' : null,
      deadlineText: formalNotice ? (language === 'fr' ? '05/04/2026' : '5 April 2026') : null,
    },
  };
}

export const LETTER_TEXT = {
  fr:
    'Madame, Monsieur,\n\nSauf erreur de notre part, les factures ci-dessous restent impayées à ce jour malgré notre précédente relance.\n\n' +
    'Nous vous remercions de bien vouloir procéder à leur règlement dans les meilleurs délais.\n\nVeuillez agréer nos salutations distinguées.',
  en:
    'Dear Sir or Madam,\n\nAccording to our records, the invoices below are still unpaid despite our previous reminder.\n\n' +
    'Please settle them at your earliest convenience.\n\nYours faithfully,',
};

import type { IsoDate } from '../domain/calendar.ts';
import type { Language } from '../domain/ledger.ts';
import type { LawTexts } from '../documents/law-texts.ts';

/**
 * What a reminder is about, as one value: the variables of every template (e-mail subject and bodies,
 * letter text) and the data of every document (letter, formal notice). E-mails and letters of the same
 * communication are built from the same context, so they can never disagree.
 *
 * Amounts are given twice: in cents for arithmetic and layout, and formatted in the customer's language
 * (`1 234,56 €` in French with U+202F / U+00A0, `€1,234.56` in English) for display.
 */
export type MoneyText = { cents: number; text: string };

export type ContextAddress = {
  lines: string[];
  postcode: string | null;
  city: string | null;
  /** The country in words, in the message's language ('France'); `countryCode` is its ISO code ('FR'), which decides the law. */
  country: string | null;
  countryCode: string | null;
  /** Ready to print: lines, then postcode and city, then the country when it is not the company's. */
  block: string[];
};

export type ContextInvoice = {
  id: string;
  number: string;
  title: string | null;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** In the customer's language: `15/03/2026` or `15 March 2026`. */
  issueDateText: string;
  dueDateText: string;
  currency: string;
  total: MoneyText;
  paid: MoneyText;
  balance: MoneyText;
  daysOverdue: number;
  /** Reminder levels already sent for it, oldest first. */
  reminders: { level: number; sentOn: IsoDate }[];
  /**
   * Late-payment charges as of the context date; null when charges are off for its policy. Interest is in the
   * invoice's currency, the fixed indemnity in the law's (`currency`).
   */
  charges: {
    interest: MoneyText | null;
    indemnity: (MoneyText & { currency?: string }) | null;
    notes: string[];
  } | null;
  hasStoredPdf: boolean;
  /**
   * Its payment schedule (échéancier), each instalment with its own due date and what is left to pay on it;
   * absent when the invoice has none. Shown by the letter and the e-mail, and open to templates.
   */
  instalments?: ContextInstalment[];
};

export type ContextInstalment = {
  seq: number;
  count: number;
  dueDate: IsoDate;
  dueDateText: string;
  amount: MoneyText;
  unpaid: MoneyText;
};

/** A quote followed up by the `relance-devis` message. */
export type ContextQuote = {
  id: string;
  number: string;
  date: IsoDate;
  dateText: string;
  validUntil: IsoDate;
  validUntilText: string;
  currency: string;
  total: MoneyText;
};

export type MessageContext = {
  language: Language;
  /** The date the message is written on (the run date), and as text. */
  date: IsoDate;
  dateText: string;
  level: { number: number; label: string; formalNotice: boolean; charges: boolean };
  company: {
    id: string;
    legalName: string;
    siren: string | null;
    vatNumber: string | null;
    address: ContextAddress;
    iban: string | null;
    bic: string | null;
    letterhead: string | null;
    city: string | null;
    /** Legal form and capital, RCS, SIRET on one line (src/domain/identity.ts); null when none is set. */
    legalMentions?: string | null;
    phone?: string | null;
  };
  customer: {
    id: string;
    code: string;
    name: string;
    kind: 'company' | 'individual';
    address: ContextAddress;
    salesRep: string | null;
    language: Language;
  };
  /** The primary billing contact, else the first contact with an e-mail; null when there is none. */
  contact: { name: string | null; email: string | null; phone: string | null } | null;
  /** Every billing e-mail of the customer, primary first, without addresses that bounced (the To of an e-mail). */
  recipients: string[];
  currency: string;
  invoices: ContextInvoice[];
  /** Comma-separated invoice numbers: what the legacy `#REF#` macro of older products expands to. */
  references: string;
  totals: {
    total: MoneyText;
    paid: MoneyText;
    balance: MoneyText;
    interest: MoneyText;
    indemnity: MoneyText;
    /** balance + interest + indemnity (the indemnity only when in the message's currency) */
    due: MoneyText;
  };
  /** The late-payment law of the message (the one its charges were computed under) as the letter cites it. */
  law: LawTexts;
  payment: {
    /** What the customer must write on the transfer (the invoice numbers, or the customer code for many). */
    reference: string;
    link: string | null;
    /** Payment deadline of a formal notice (date + 8 days by default). */
    deadline: IsoDate | null;
    deadlineText: string | null;
    /** Days between the message date and the deadline (the company's setting, 8 by default); null without deadline. */
    deadlineDays?: number | null;
  };
  /**
   * Invoices not yet due mentioned for information ("à échoir"): outside `invoices`, every total and the
   * reminder level; empty or absent for the messages of a run.
   */
  upcoming?: ContextInvoice[];
  /**
   * The address of the customer's payment page (`{{ portal_url }}`): a real link only in a message being sent, a
   * sample that opens nothing in previews and simulations, null when RELANCE_PUBLIC_URL is not set.
   */
  portalUrl?: string | null;
  /** Quotes concerned (the `relance-devis` message); empty for invoice reminders. */
  quotes?: ContextQuote[];
};

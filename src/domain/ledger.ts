import { z } from 'zod';
import { daysBetween, type IsoDate } from './calendar.ts';
import { formatAmount, type Cents } from './money.ts';

/** Shared by storage, import, CLI and (later) the API and web app. Amounts are integer cents. */
export const CustomerKindSchema = z.enum(['company', 'individual']);
export const LanguageSchema = z.enum(['fr', 'en']);
export const PaymentMethodSchema = z.enum(['transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other']);
export const InvoiceStatusSchema = z.enum(['issued', 'cancelled']);
export const QuoteStatusSchema = z.enum(['pending', 'accepted', 'refused']);
export type CustomerKind = z.infer<typeof CustomerKindSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;
export type QuoteStatus = z.infer<typeof QuoteStatusSchema>;

const IsoDateSchema = z.iso.date();
const CentsSchema = z.number().int();

export const AddressSchema = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().length(2),
});
export type Address = z.infer<typeof AddressSchema>;

export const CompanySchema = z.object({
  id: z.string(),
  legalName: z.string().min(1),
  siren: z.string().nullable(),
  vatNumber: z.string().nullable(),
  address: AddressSchema,
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  currency: z.string().length(3),
  timeZone: z.string(),
  locale: z.string(),
  letterhead: z.string().nullable(),
  automation: z.object({
    enabled: z.boolean(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'),
    skipWeekends: z.boolean(),
    skipHolidays: z.boolean(),
  }),
  /** Payment link of messages: a URL with {{ reference }} and/or {{ amount }} placeholders; null for none. */
  paymentLinkPattern: z.string().nullable().optional(),
  /** Days a formal notice (mise en demeure) gives the customer to pay; 8 when unset. */
  formalNoticeDays: z.number().int().min(1).max(90).optional(),
  /** Days a link to the customer's payment page opens it; 60 when unset. */
  portalLinkDays: z.number().int().min(1).max(365).optional(),
  /** Whether collectors are e-mailed of customers' actions on the payment page and of their answers (default on). */
  notifyAnswers: z.boolean().optional(),
  /** Forme juridique (SARL, SAS, EI…), capital social in cents, SIRET and RCS entry: the letterhead's legal lines. */
  legalForm: z.string().max(60).nullable().optional(),
  shareCapital: z.number().int().min(0).nullable().optional(),
  siret: z.string().nullable().optional(),
  rcs: z.string().max(120).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  /** Sender of e-mails (name and address) when the mail settings name none. */
  senderName: z.string().max(120).nullable().optional(),
  senderEmail: z.string().max(254).nullable().optional(),
  /** True while the ledger is demonstration data, which the web app says and can purge. */
  demoData: z.boolean().optional(),
});
export type Company = z.infer<typeof CompanySchema>;

export const CustomerSchema = z.object({
  id: z.string(),
  code: z.string().min(1),
  name: z.string().min(1),
  kind: CustomerKindSchema,
  siren: z.string().nullable(),
  vatNumber: z.string().nullable(),
  address: AddressSchema,
  language: LanguageSchema,
  salesRep: z.string().nullable(),
  paymentTerms: z.string().nullable(),
  notes: z.string().nullable(),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const ContactSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable(),
  isPrimary: z.boolean(),
  /** When a bounce flagged the address (no longer used until it is changed), and the server's reason. */
  emailBouncedAt: z.string().nullable().optional(),
  emailBounceReason: z.string().nullable().optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const InvoiceSchema = z.object({
  id: z.string(),
  number: z.string().min(1),
  customerId: z.string(),
  issueDate: IsoDateSchema,
  dueDate: IsoDateSchema,
  currency: z.string().length(3),
  totalExclTax: CentsSchema.nullable(),
  total: CentsSchema,
  /** Sum of the payments and credit notes allocated to it. */
  allocated: CentsSchema,
  title: z.string().nullable(),
  salesRep: z.string().nullable(),
  status: InvoiceStatusSchema,
  disputed: z.boolean(),
  disputeReason: z.string().nullable(),
  promiseToPayDate: IsoDateSchema.nullable(),
});
export type Invoice = z.infer<typeof InvoiceSchema>;

export const CreditNoteSchema = z.object({
  id: z.string(),
  number: z.string().min(1),
  customerId: z.string(),
  date: IsoDateSchema,
  currency: z.string().length(3),
  total: CentsSchema,
  reason: z.string().nullable(),
});
export type CreditNote = z.infer<typeof CreditNoteSchema>;

export const PaymentSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  date: IsoDateSchema,
  currency: z.string().length(3),
  amount: CentsSchema,
  method: PaymentMethodSchema,
  reference: z.string().nullable(),
});
export type Payment = z.infer<typeof PaymentSchema>;

export const AllocationSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  paymentId: z.string().nullable(),
  creditNoteId: z.string().nullable(),
  date: IsoDateSchema,
  amount: CentsSchema,
});
export type Allocation = z.infer<typeof AllocationSchema>;

export const QuoteSchema = z.object({
  id: z.string(),
  number: z.string().min(1),
  customerId: z.string(),
  date: IsoDateSchema,
  validUntil: IsoDateSchema,
  currency: z.string().length(3),
  total: CentsSchema,
  status: QuoteStatusSchema,
});
export type Quote = z.infer<typeof QuoteSchema>;

export const InstalmentSchema = z.object({ seq: z.number().int().min(1), dueDate: IsoDateSchema, amount: CentsSchema });
export const PaymentScheduleSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  instalments: z.array(InstalmentSchema).min(1),
});
export type Instalment = z.infer<typeof InstalmentSchema>;
export type PaymentSchedule = z.infer<typeof PaymentScheduleSchema>;

/** The language a company writes in when nothing else decides: English for an `en…` locale, else French. */
export function companyLanguage(company: Pick<Company, 'locale'>): Language {
  return company.locale.startsWith('en') ? 'en' : 'fr';
}

/** What is still owed: the solde. A cancelled invoice owes nothing. */
export function balanceOf(invoice: Pick<Invoice, 'total' | 'allocated' | 'status'>): Cents {
  return invoice.status === 'cancelled' ? 0 : invoice.total - invoice.allocated;
}

/** Calendar days past the due date on `asOf`; zero or negative when not yet late. */
export function daysOverdue(dueDate: IsoDate, asOf: IsoDate): number {
  return daysBetween(dueDate, asOf);
}

/**
 * A refusal in English (logs, API clients that do not translate) with the catalogue key (src/i18n) and
 * params that say it in the reader's language; amounts stay cents and are written by the catalogue.
 */
export type Problem = { reason: string; code: string; params: Record<string, string | number> };

/** Why an allocation of `amount` to an invoice would be refused, or null when it fits. */
export function allocationProblem(
  invoice: Pick<Invoice, 'number' | 'total' | 'allocated' | 'status' | 'currency'>,
  amount: Cents,
  currency: string,
): Problem | null {
  const params = { invoice: invoice.number, currency };
  if (amount <= 0) return { reason: 'an allocation must be a positive amount', code: 'ledger.notPositive', params };
  if (invoice.status === 'cancelled')
    return { reason: `invoice ${invoice.number} is cancelled`, code: 'ledger.cancelled', params };
  if (currency !== invoice.currency) {
    return {
      reason: `currency ${currency} differs from invoice ${invoice.number}'s ${invoice.currency}`,
      code: 'ledger.otherCurrency',
      params: { ...params, invoiceCurrency: invoice.currency },
    };
  }
  const balance = balanceOf(invoice);
  if (amount > balance) {
    return {
      reason:
        `${formatAmount(amount, currency)} ${currency} exceeds the balance of invoice ${invoice.number} ` +
        `(${formatAmount(balance, currency)} ${currency})`,
      code: 'ledger.aboveBalance',
      params: { ...params, amount, balance },
    };
  }
  return null;
}

/** A schedule's instalments must add up to what they split and fall in date order. */
export function scheduleProblem(total: Cents, instalments: Instalment[], currency = 'EUR'): Problem | null {
  const sum = instalments.reduce((acc, i) => acc + i.amount, 0);
  if (sum !== total) {
    return {
      reason:
        `instalments add up to ${formatAmount(sum, currency)} ${currency} ` +
        `but the amount to split is ${formatAmount(total, currency)} ${currency}`,
      code: 'ledger.scheduleSum',
      params: { sum, total, currency },
    };
  }
  for (let i = 1; i < instalments.length; i++) {
    if (instalments[i]!.dueDate < instalments[i - 1]!.dueDate)
      return { reason: 'instalments must be in due-date order', code: 'ledger.scheduleOrder', params: {} };
  }
  return null;
}

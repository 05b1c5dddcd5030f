import { addDays, daysBetween, type IsoDate } from '../calendar.ts';
import type { CustomerKind } from '../ledger.ts';
import type { Cents } from '../money.ts';
import {
  BOE_REFERENCE_RATE, DE_BASE_RATE, ECB_MAIN_REFINANCING, FIXED_INDEMNITY, formatRate, FR_LEGAL_RATE_INDIVIDUAL,
  FR_LEGAL_RATE_PROFESSIONAL, halfYearBounds, halfYearOf, rateFor, ukFixedSum, type HalfYear, type RateTable,
} from './rates.ts';

/**
 * Late-payment interest and fixed recovery compensation for one invoice. Simple interest on the amount
 * including tax, actual days / 365, one rate per half-year, rounded to the cent once at the end.
 * Interest runs from the day after the due date (B2B) or after the formal notice (consumers) up to and
 * including `asOf`, so its day count is `daysBetween(start, asOf)` like the dunning engine's lateness.
 */
export type ChargesInput = {
  /** ISO country of the law applied: FR, DE, GB; anything else gets the EU directive's default. */
  country: string;
  /** The debtor: 'company' is business-to-business, 'individual' a consumer. */
  customerKind: CustomerKind;
  /**
   * Amount owed on the due date including tax, in minor units. Payments made since go in `payments`, so
   * interest follows the balance day by day; passing today's balance without payments instead charges
   * interest on that balance over the whole period.
   */
  amount: Cents;
  /** Partial payments: each stops interest on its amount from the day after it was paid. */
  payments?: { date: IsoDate; amount: Cents }[];
  dueDate: IsoDate;
  asOf: IsoDate;
  formalNoticeDate?: IsoDate | null;
  /** Contractual rate in basis points (French law only): never applied below 3× the legal rate. */
  contractRate?: number | null;
  /** The creditor: it decides which French legal rate applies to consumers. Businesses by default. */
  creditorKind?: CustomerKind;
};

export type RatePeriod = {
  from: IsoDate;
  to: IsoDate;
  /** The balance interest runs on during this period. */
  principal: Cents;
  days: number;
  rateBp: number;
  /** `"14.50"` percent. */
  rate: string;
  explanation: string;
  /** This period's share, rounded on its own for display; the total is rounded once, not summed from these. */
  interest: Cents;
  /** False when a rate used here is not yet confirmed by its official source (see rates.ts). */
  verified: boolean;
};

export type Regime = 'fr_b2b' | 'fr_b2c' | 'de_b2b' | 'de_b2c' | 'uk_b2b' | 'uk_b2c' | 'eu_b2b' | 'eu_b2c';

export type Charges = {
  regime: Regime;
  currency: 'EUR' | 'GBP';
  interest: Cents;
  indemnity: Cents;
  periods: RatePeriod[];
  notes: string[];
};

type PeriodRate = { bp: number; explanation: string; verified: boolean };

const DAYS_PER_YEAR = 365n;
const BP_PER_UNIT = 10_000n;

function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

const INTEREST_DIVISOR = Number(DAYS_PER_YEAR * BP_PER_UNIT);

/** The same rounding on a double holding an exact integer below SAFE: no BigInt for the common case. */
function roundInterest(numerator: number): number {
  const top = numerator * 2 + INTEREST_DIVISOR;
  const bottom = INTEREST_DIVISOR * 2;
  let quotient = Math.floor(top / bottom);
  // The division is rounded; the integer checks make the floor exact.
  if (quotient * bottom > top) quotient--;
  else if ((quotient + 1) * bottom <= top) quotient++;
  return quotient;
}

// The half-year a date falls in and its last day, per date: periods start on a few thousand distinct dates.
const halfYears = new Map<IsoDate, { halfYear: HalfYear; end: IsoDate }>();

function halfYearAt(date: IsoDate): { halfYear: HalfYear; end: IsoDate } {
  let known = halfYears.get(date);
  if (known === undefined) {
    const halfYear = halfYearOf(date);
    known = { halfYear, end: halfYearBounds(halfYear).end };
    if (halfYears.size > 100_000) halfYears.clear();
    halfYears.set(date, known);
  }
  return known;
}

function regimeOf(country: string, kind: CustomerKind): Regime {
  const b2b = kind === 'company';
  const code = country === 'FR' || country === 'DE' || country === 'GB' ? country : country.toUpperCase();
  if (code === 'FR') return b2b ? 'fr_b2b' : 'fr_b2c';
  if (code === 'DE') return b2b ? 'de_b2b' : 'de_b2c';
  if (code === 'GB' || code === 'UK') return b2b ? 'uk_b2b' : 'uk_b2c';
  return b2b ? 'eu_b2b' : 'eu_b2c';
}

// A plan computes charges for hundreds of thousands of invoices over the same few half-years: the rate of a
// table for a half-year is fixed, so it is worked out (and its explanation written) once.
const periodRates = new WeakMap<RateTable, Map<string, PeriodRate>>();

function plus(table: RateTable, h: HalfYear, points: number, what: string): PeriodRate {
  let known = periodRates.get(table);
  if (!known) periodRates.set(table, (known = new Map()));
  const key = `${h}|${points}|${what}`;
  const cached = known.get(key);
  if (cached) return cached;
  const entry = rateFor(table, h);
  const rate = {
    bp: entry.bp + points * 100,
    explanation: `${what} ${formatRate(entry.bp)} % (${entry.source}) + ${points} points`,
    verified: entry.verified,
  };
  known.set(key, rate);
  return rate;
}

function frenchB2bRate(h: HalfYear, contractRate: number | null): PeriodRate {
  const statutory = plus(ECB_MAIN_REFINANCING, h, 10, 'ECB rate');
  if (contractRate === null) return statutory;
  // L441-10: a contract may set its own rate, but never below three times the legal interest rate.
  const legal = rateFor(FR_LEGAL_RATE_PROFESSIONAL, h);
  const floor = legal.bp * 3;
  if (contractRate >= floor) {
    return { bp: contractRate, verified: legal.verified,
      explanation: `contract rate ${formatRate(contractRate)} % (not below 3 × legal rate ${formatRate(legal.bp)} %)` };
  }
  return { bp: floor, verified: legal.verified,
    explanation: `contract rate ${formatRate(contractRate)} % raised to 3 × legal rate ${formatRate(legal.bp)} % ` +
      `= ${formatRate(floor)} % (${legal.source})` };
}

/** A statutory table plus points, with its rate of each half-year worked out once (see `plus`). */
type RateRule = { table: RateTable; points: number; what: string; known: Map<HalfYear, PeriodRate> };

function rateRule(table: RateTable, points: number, what: string): RateRule {
  return { table, points, what, known: new Map() };
}

const FR_B2B = rateRule(ECB_MAIN_REFINANCING, 10, 'ECB rate');
const FR_B2C_PROFESSIONAL = rateRule(FR_LEGAL_RATE_PROFESSIONAL, 0, 'legal interest rate');
const FR_B2C_INDIVIDUAL = rateRule(FR_LEGAL_RATE_INDIVIDUAL, 0, 'legal interest rate');
const DE_B2B = rateRule(DE_BASE_RATE, 9, 'Basiszinssatz');
const DE_B2C = rateRule(DE_BASE_RATE, 5, 'Basiszinssatz');
const UK_B2B = rateRule(BOE_REFERENCE_RATE, 8, 'Bank of England reference rate');
const EU_B2B = rateRule(ECB_MAIN_REFINANCING, 8, 'ECB rate');

/** When interest starts (first day counted) and how each half-year is rated; a French contract rate has its own rule. */
type Rule = { start: IsoDate; rates: RateRule; frenchContract: number | null };

function rateOf(rule: Rule, h: HalfYear): PeriodRate {
  if (rule.frenchContract !== null) return frenchB2bRate(h, rule.frenchContract);
  const { known, table, points, what } = rule.rates;
  let rate = known.get(h);
  if (rate === undefined) known.set(h, (rate = plus(table, h, points, what)));
  return rate;
}

/**
 * Interest start and rates, or why there is no interest. Data rather than a closure per call: a plan asks
 * this for hundreds of thousands of invoices.
 */
function ruleOf(regime: Regime, input: ChargesInput): Rule | string {
  const notice = input.formalNoticeDate ?? null;
  const afterNotice = notice === null ? null : addDays(notice > input.dueDate ? notice : input.dueDate, 1);
  const noNotice = 'no interest before a formal notice (mise en demeure / Mahnung) to a consumer';
  switch (regime) {
    case 'fr_b2b':
      return { start: addDays(input.dueDate, 1), rates: FR_B2B, frenchContract: input.contractRate ?? null };
    case 'fr_b2c': {
      if (afterNotice === null) return noNotice;
      // Art. 1231-6 Code civil: legal interest from the formal notice; the rate depends on the creditor.
      return { start: afterNotice, rates: input.creditorKind === 'individual' ? FR_B2C_INDIVIDUAL : FR_B2C_PROFESSIONAL,
        frenchContract: null };
    }
    case 'de_b2b':
      return { start: addDays(input.dueDate, 1), rates: DE_B2B, frenchContract: null };
    case 'de_b2c':
      // § 286 BGB: a consumer is in default after a reminder (the 30-day rule needs a notice on the invoice).
      if (afterNotice === null) return noNotice;
      return { start: afterNotice, rates: DE_B2C, frenchContract: null };
    case 'uk_b2b':
      return { start: addDays(input.dueDate, 1), rates: UK_B2B, frenchContract: null };
    case 'uk_b2c':
      return 'the Late Payment of Commercial Debts Act covers business debts only';
    case 'eu_b2b':
      return { start: addDays(input.dueDate, 1), rates: EU_B2B, frenchContract: null };
    case 'eu_b2c':
      return 'Directive 2011/7/EU covers business debts only; consumer interest depends on national law';
  }
}

function indemnityOf(regime: Regime, input: ChargesInput): Cents {
  if (input.asOf <= input.dueDate) return 0;
  // Once per invoice paid late, whatever was paid since: partial payments do not reduce it.
  if (regime === 'fr_b2b') return FIXED_INDEMNITY.FR.amount;
  if (regime === 'de_b2b') return FIXED_INDEMNITY.DE.amount;
  if (regime === 'eu_b2b') return FIXED_INDEMNITY.EU.amount;
  if (regime === 'uk_b2b') return ukFixedSum(input.amount);
  return 0;
}

// Shares are summed as exact integers in doubles while they stay far below 2^53, else in BigInt.
const SAFE = 2 ** 50;
const NO_PAYMENTS: { date: IsoDate; amount: Cents }[] = [];

function byDate(a: { date: IsoDate }, b: { date: IsoDate }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/**
 * `periods: false` leaves out the per-period detail (a plan only shows the totals and notes); everything
 * else comes out the same.
 */
export function computeCharges(input: ChargesInput, options: { periods?: boolean } = {}): Charges {
  const regime = regimeOf(input.country, input.customerKind);
  const currency = regime.startsWith('uk') ? 'GBP' : 'EUR';
  const notes: string[] = [];
  const rule = ruleOf(regime, input);
  const periods: RatePeriod[] = [];
  const detailed = options.periods ?? true;
  let numerator = 0;
  let big: bigint | null = null;
  let unverified = false;
  if (typeof rule === 'string') {
    notes.push(rule);
  } else {
    const given = input.payments ?? NO_PAYMENTS;
    const payments = given.length > 1 ? [...given].sort(byDate) : given;
    // Payments before `from` already lowered the principal; `next` is the first one on or after `from`.
    let next = 0;
    let principal = input.amount;
    let from = rule.start;
    while (from <= input.asOf) {
      // A payment made on day D still owed interest for D; the balance drops from D + 1.
      while (next < payments.length && payments[next]!.date < from) principal -= payments[next++]!.amount;
      if (principal <= 0) break;
      const { halfYear, end } = halfYearAt(from);
      let to = end;
      if (input.asOf < to) to = input.asOf;
      if (next < payments.length && payments[next]!.date < to) to = payments[next]!.date;
      const days = daysBetween(from, to) + 1;
      const rate = rateOf(rule, halfYear);
      if (!rate.verified) unverified = true;
      const share = principal * rate.bp * days;
      if (big === null && Math.abs(share) < SAFE && Math.abs(numerator + share) < SAFE) numerator += share;
      else big = (big ?? BigInt(numerator)) + BigInt(principal) * BigInt(rate.bp) * BigInt(days);
      if (detailed) {
        periods.push({ from, to, principal, days, rateBp: rate.bp, rate: formatRate(rate.bp),
          explanation: rate.explanation, interest: roundHalfUp(BigInt(principal) * BigInt(rate.bp) * BigInt(days),
            DAYS_PER_YEAR * BP_PER_UNIT), verified: rate.verified });
      }
      from = addDays(to, 1);
    }
  }
  if (unverified) notes.push('a rate used is not yet confirmed by its official source (see rates.ts)');
  if (input.contractRate != null && !regime.startsWith('fr')) notes.push('contract rate ignored: French law only here');
  const interest = big !== null ? (big > 0n ? roundHalfUp(big, DAYS_PER_YEAR * BP_PER_UNIT) : 0)
    : numerator > 0 ? roundInterest(numerator) : 0;
  return { regime, currency, interest, indemnity: indemnityOf(regime, input), periods, notes };
}

/**
 * The charges of an invoice in its own currency, or the notes saying why there are none: the law applied
 * charges in another currency, or a rate it needs is not recorded. In the second case the fixed indemnity,
 * which needs no rate, is still owed and given (`indemnity`); only the interest is missing. Plans and letters
 * show it the same way.
 */
export function invoiceChargesOrNotes(input: ChargesInput, invoiceCurrency: string, options: { periods?: boolean } = {}):
  { charges: Charges } | { notes: string[]; indemnity: Cents | null } {
  const regime = regimeOf(input.country, input.customerKind);
  const currency = regime.startsWith('uk') ? 'GBP' : 'EUR';
  if (currency !== invoiceCurrency) {
    return { notes: [`charges under this law are in ${currency}, the invoice is in ${invoiceCurrency}`], indemnity: null };
  }
  try {
    return { charges: computeCharges(input, options) };
  } catch (error) {
    return { notes: [`interest not computed: ${(error as Error).message}`], indemnity: indemnityOf(regime, input) };
  }
}

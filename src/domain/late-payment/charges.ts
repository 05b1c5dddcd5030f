import { addDays, daysBetween, type IsoDate } from '../calendar.ts';
import type { CustomerKind } from '../ledger.ts';
import type { Cents } from '../money.ts';
import type { Law } from './law.ts';
import {
  FIXED_INDEMNITY,
  formatRate,
  halfYearBounds,
  halfYearOf,
  rateFor,
  SHIPPED_RATES,
  ukFixedSum,
  type HalfYear,
  type RateBook,
  type RateTable,
} from './rates.ts';

/**
 * Late-payment interest and fixed recovery compensation for one invoice. Simple interest on the amount
 * including tax, actual days / 365, one rate per half-year, rounded to the cent once at the end.
 * Interest runs from the day after the due date (B2B) or after the formal notice (consumers) up to and
 * including `asOf`, so its day count is `daysBetween(start, asOf)` like the dunning engine's lateness.
 */
export type ChargesInput = {
  /** The law applied (law.ts, `applicableLaw`): FR, DE, GB (or UK); anything else gets the EU directive's default. */
  country: Law | string;
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
  /**
   * Credit notes (avoirs) allocated to the invoice, up to `asOf`: a credit note corrects the invoice, so its
   * amount was never owed and comes off the principal from the start, whatever its date.
   */
  credits?: { date: IsoDate; amount: Cents }[];
  /** The invoice's currency: interest is owed in it under every law; the fixed indemnity keeps the law's. */
  currency?: string;
  /** German law: without an agreed term (due on the invoice date) the debtor defaults 30 days after the invoice. */
  issueDate?: IsoDate;
  /** German law: a consumer defaults on the first reminder (Mahnung) after the due date. */
  firstReminderDate?: IsoDate | null;
  /** The rates to use: the shipped ones by default, or a company's book with its own values (rates.ts). */
  rates?: RateBook;
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

/**
 * How the rate of the last period was made, for a letter to quote it ("taux BCE majoré de 10 points, soit
 * 12,40 %"): the reference, the points added, the resulting rate.
 */
export type RateBasis = {
  kind: 'ecb' | 'legal' | 'de_base' | 'boe' | 'contract' | 'contract_floor';
  points: number;
  bp: number;
};

export type Charges = {
  regime: Regime;
  /** The interest's currency: the invoice's. */
  currency: string;
  interest: Cents;
  indemnity: Cents;
  /** The fixed indemnity's currency, set by the law (EUR, or GBP for the UK bands). */
  indemnityCurrency: string;
  /** The rate of the last period counted, null when no interest runs. */
  basis: RateBasis | null;
  periods: RatePeriod[];
  notes: string[];
};

type PeriodRate = { bp: number; explanation: string; verified: boolean; basis: RateBasis };

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

function plus(table: RateTable, h: HalfYear, points: number, what: string, kind: RateBasis['kind']): PeriodRate {
  let known = periodRates.get(table);
  if (!known) periodRates.set(table, (known = new Map()));
  const key = `${h}|${points}|${what}`;
  const cached = known.get(key);
  if (cached) return cached;
  const entry = rateFor(table, h);
  const bp = entry.bp + points * 100;
  const rate = {
    bp,
    explanation:
      points === 0
        ? `${what} ${formatRate(entry.bp)} % (${entry.source})`
        : `${what} ${formatRate(entry.bp)} % (${entry.source}) + ${points} points`,
    verified: entry.verified,
    basis: { kind, points, bp },
  };
  known.set(key, rate);
  return rate;
}

function frenchB2bRate(book: RateBook, h: HalfYear, contractRate: number): PeriodRate {
  // L441-10: a contract may set its own rate, but never below three times the legal interest rate.
  const legal = rateFor(book.frLegalProfessional, h);
  const floor = legal.bp * 3;
  if (contractRate >= floor) {
    return {
      bp: contractRate,
      verified: legal.verified,
      basis: { kind: 'contract', points: 0, bp: contractRate },
      explanation: `contract rate ${formatRate(contractRate)} % (not below 3 × legal rate ${formatRate(legal.bp)} %)`,
    };
  }
  return {
    bp: floor,
    verified: legal.verified,
    basis: { kind: 'contract_floor', points: 0, bp: floor },
    explanation:
      `contract rate ${formatRate(contractRate)} % raised to 3 × legal rate ${formatRate(legal.bp)} % ` +
      `= ${formatRate(floor)} % (${legal.source})`,
  };
}

/** A statutory table plus points, with its rate of each half-year worked out once (see `plus`). */
type RateRule = {
  table: RateTable;
  points: number;
  what: string;
  kind: RateBasis['kind'];
  known: Map<HalfYear, PeriodRate>;
};

function rateRule(table: RateTable, points: number, what: string, kind: RateBasis['kind']): RateRule {
  return { table, points, what, kind, known: new Map() };
}

type Rules = {
  frB2b: RateRule;
  frB2cProfessional: RateRule;
  frB2cIndividual: RateRule;
  deB2b: RateRule;
  deB2c: RateRule;
  ukB2b: RateRule;
  euB2b: RateRule;
};

// The rules of each book, made once: a plan uses one book for all its invoices.
const rulesByBook = new WeakMap<RateBook, Rules>();

function rulesOf(book: RateBook): Rules {
  let rules = rulesByBook.get(book);
  if (rules === undefined) {
    rules = {
      frB2b: rateRule(book.ecb, 10, 'ECB rate', 'ecb'),
      frB2cProfessional: rateRule(book.frLegalProfessional, 0, 'legal interest rate', 'legal'),
      frB2cIndividual: rateRule(book.frLegalIndividual, 0, 'legal interest rate', 'legal'),
      deB2b: rateRule(book.deBase, 9, 'Basiszinssatz', 'de_base'),
      deB2c: rateRule(book.deBase, 5, 'Basiszinssatz', 'de_base'),
      ukB2b: rateRule(book.boeReference, 8, 'Bank of England reference rate', 'boe'),
      euB2b: rateRule(book.ecb, 8, 'ECB rate', 'ecb'),
    };
    rulesByBook.set(book, rules);
  }
  return rules;
}

/** When interest starts (first day counted) and how each half-year is rated; a French contract rate has its own rule. */
type Rule = { start: IsoDate; rates: RateRule; frenchContract: number | null; book: RateBook };

function rateOf(rule: Rule, h: HalfYear): PeriodRate {
  if (rule.frenchContract !== null) return frenchB2bRate(rule.book, h, rule.frenchContract);
  const { known, table, points, what, kind } = rule.rates;
  let rate = known.get(h);
  if (rate === undefined) known.set(h, (rate = plus(table, h, points, what, kind)));
  return rate;
}

/**
 * Interest start and rates, or why there is no interest. Data rather than a closure per call: a plan asks
 * this for hundreds of thousands of invoices.
 */
/** The day after a date, or after the due date when the date is earlier; null without a date. */
function afterDue(date: IsoDate | null | undefined, dueDate: IsoDate): IsoDate | null {
  return date === null || date === undefined ? null : addDays(date > dueDate ? date : dueDate, 1);
}

function ruleOf(regime: Regime, input: ChargesInput): Rule | string {
  const book = input.rates ?? SHIPPED_RATES;
  const rules = rulesOf(book);
  switch (regime) {
    case 'fr_b2b':
      return { start: addDays(input.dueDate, 1), rates: rules.frB2b, frenchContract: input.contractRate ?? null, book };
    case 'fr_b2c': {
      const afterNotice = afterDue(input.formalNoticeDate, input.dueDate);
      if (afterNotice === null) return 'no interest before a formal notice (mise en demeure) to a consumer';
      // Art. 1231-6 Code civil: legal interest from the formal notice; the rate depends on the creditor.
      const rates = input.creditorKind === 'individual' ? rules.frB2cIndividual : rules.frB2cProfessional;
      return { start: afterNotice, rates, frenchContract: null, book };
    }
    case 'de_b2b': {
      // § 286 Abs. 1-3 BGB: in default from the agreed due date; without one, 30 days after the invoice.
      const agreed = input.issueDate === undefined || input.dueDate > input.issueDate;
      const start = agreed ? addDays(input.dueDate, 1) : addDays(input.issueDate!, 31);
      return { start, rates: rules.deB2b, frenchContract: null, book };
    }
    case 'de_b2c': {
      // § 286 Abs. 1 BGB: a consumer is in default from the first reminder (Mahnung) after the due date.
      const afterReminder = afterDue(input.firstReminderDate, input.dueDate);
      if (afterReminder === null) return 'no interest before a first reminder (Mahnung) to a consumer';
      return { start: afterReminder, rates: rules.deB2c, frenchContract: null, book };
    }
    case 'uk_b2b':
      return { start: addDays(input.dueDate, 1), rates: rules.ukB2b, frenchContract: null, book };
    case 'uk_b2c':
      return 'the Late Payment of Commercial Debts Act covers business debts only';
    case 'eu_b2b':
      return { start: addDays(input.dueDate, 1), rates: rules.euB2b, frenchContract: null, book };
    case 'eu_b2c':
      return 'Directive 2011/7/EU covers business debts only; consumer interest depends on national law';
  }
}

/** The amount owed once the credit notes up to `asOf` are taken off: what the invoice really claimed. */
function netAmount(input: ChargesInput): Cents {
  let amount = input.amount;
  const credits = input.credits;
  if (credits !== undefined) for (const credit of credits) if (credit.date <= input.asOf) amount -= credit.amount;
  return amount;
}

function indemnityOf(
  regime: Regime,
  input: ChargesInput,
  net: Cents = netAmount(input),
): { amount: Cents; currency: string; note?: string } {
  const currency = regime.startsWith('uk') ? 'GBP' : 'EUR';
  if (input.asOf <= input.dueDate || net <= 0) return { amount: 0, currency };
  // Once per invoice paid late, whatever was paid since: partial payments do not reduce it.
  if (regime === 'fr_b2b') return { amount: FIXED_INDEMNITY.FR.amount, currency };
  if (regime === 'de_b2b') return { amount: FIXED_INDEMNITY.DE.amount, currency };
  if (regime === 'eu_b2b') return { amount: FIXED_INDEMNITY.EU.amount, currency };
  if (regime === 'uk_b2b') {
    // The bands are set on the debt in pounds; relance holds no exchange rate to place a debt in another currency.
    if ((input.currency ?? 'GBP') !== 'GBP') {
      return {
        amount: 0,
        currency,
        note: `the UK fixed sum depends on the debt in pounds; not computed for a ${input.currency} debt`,
      };
    }
    return { amount: ukFixedSum(net), currency };
  }
  return { amount: 0, currency };
}

// Shares are summed as exact integers in doubles while they stay far below 2^53, else in BigInt.
const SAFE = 2 ** 50;
const NO_PAYMENTS: { date: IsoDate; amount: Cents }[] = [];

function byDate(a: { date: IsoDate }, b: { date: IsoDate }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** The rates walked from a first day to `asOf` on an unchanging balance: Σ rate × days, the last basis, any unverified. */
type Walk = { sum: number; absSum: number; basis: RateBasis | null; unverified: boolean };

// Invoices nobody has paid any of owe interest on one balance over a walk that depends only on the rule, the first
// day and `asOf`: a plan's tens of thousands of such invoices share a few thousand walks, each made once.
const walks = new WeakMap<RateRule, Map<IsoDate, Map<IsoDate, Walk>>>();
let walkCount = 0;

function walkOf(rule: Rule, asOf: IsoDate): Walk {
  let byAsOf = walks.get(rule.rates);
  if (byAsOf === undefined) walks.set(rule.rates, (byAsOf = new Map()));
  let byStart = byAsOf.get(asOf);
  if (byStart === undefined) byAsOf.set(asOf, (byStart = new Map()));
  let walk = byStart.get(rule.start);
  if (walk !== undefined) return walk;
  walk = { sum: 0, absSum: 0, basis: null, unverified: false };
  let from = rule.start;
  while (from <= asOf) {
    const { halfYear, end } = halfYearAt(from);
    const to = asOf < end ? asOf : end;
    const days = daysBetween(from, to) + 1;
    const rate = rateOf(rule, halfYear);
    walk.basis = rate.basis;
    if (!rate.verified) walk.unverified = true;
    walk.sum += rate.bp * days;
    walk.absSum += Math.abs(rate.bp * days);
    from = addDays(to, 1);
  }
  if (++walkCount > 100_000) {
    walkCount = 0;
    byStart.clear();
  }
  byStart.set(rule.start, walk);
  return walk;
}

/**
 * `periods: false` leaves out the per-period detail (a plan only shows the totals and notes); everything
 * else comes out the same.
 */
export function computeCharges(input: ChargesInput, options: { periods?: boolean } = {}): Charges {
  const regime = regimeOf(input.country, input.customerKind);
  const currency = input.currency ?? (regime.startsWith('uk') ? 'GBP' : 'EUR');
  const notes: string[] = [];
  const rule = ruleOf(regime, input);
  let basis: RateBasis | null = null;
  const periods: RatePeriod[] = [];
  const detailed = options.periods ?? true;
  let numerator = 0;
  let big: bigint | null = null;
  let unverified = false;
  const net = netAmount(input);
  const walk =
    typeof rule !== 'string' &&
    !detailed &&
    rule.frenchContract === null &&
    (input.payments ?? NO_PAYMENTS).length === 0 &&
    net > 0
      ? walkOf(rule, input.asOf)
      : null;
  if (typeof rule === 'string') {
    notes.push(rule);
  } else if (walk !== null && net * walk.absSum < SAFE) {
    // The same sum as the loop below, period by period, as every share stays an exact double there too.
    numerator = net * walk.sum;
    basis = walk.basis;
    unverified = walk.unverified;
  } else {
    const given = input.payments ?? NO_PAYMENTS;
    const payments = given.length > 1 ? [...given].sort(byDate) : given;
    // Payments before `from` already lowered the principal; `next` is the first one on or after `from`.
    let next = 0;
    let principal = net;
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
      basis = rate.basis;
      if (!rate.verified) unverified = true;
      const share = principal * rate.bp * days;
      if (big === null && Math.abs(share) < SAFE && Math.abs(numerator + share) < SAFE) numerator += share;
      else big = (big ?? BigInt(numerator)) + BigInt(principal) * BigInt(rate.bp) * BigInt(days);
      if (detailed) {
        periods.push({
          from,
          to,
          principal,
          days,
          rateBp: rate.bp,
          rate: formatRate(rate.bp),
          explanation: rate.explanation,
          interest: roundHalfUp(BigInt(principal) * BigInt(rate.bp) * BigInt(days), DAYS_PER_YEAR * BP_PER_UNIT),
          verified: rate.verified,
        });
      }
      from = addDays(to, 1);
    }
  }
  if (unverified) notes.push('a rate used is not yet confirmed by its official source (see relance rates list)');
  if (input.contractRate != null && !regime.startsWith('fr')) notes.push('contract rate ignored: French law only here');
  const interest =
    big !== null
      ? big > 0n
        ? roundHalfUp(big, DAYS_PER_YEAR * BP_PER_UNIT)
        : 0
      : numerator > 0
        ? roundInterest(numerator)
        : 0;
  const indemnity = indemnityOf(regime, input, net);
  if (indemnity.note) notes.push(indemnity.note);
  return {
    regime,
    currency,
    interest,
    indemnity: indemnity.amount,
    indemnityCurrency: indemnity.currency,
    basis,
    periods,
    notes,
  };
}

/**
 * The charges of an invoice in its own currency, or the notes saying why there are none: a rate the law needs is
 * not recorded. The fixed indemnity, which needs no rate, is still owed and given (`indemnity`, in its own
 * currency); only the interest is missing. Plans and letters show it the same way.
 */
export function invoiceChargesOrNotes(
  input: ChargesInput,
  invoiceCurrency: string,
  options: { periods?: boolean } = {},
): { charges: Charges } | { notes: string[]; indemnity: Cents | null; indemnityCurrency: string; regime: Regime } {
  // A plan passes its inputs with their currency already: no copy of each.
  const given = input.currency === invoiceCurrency ? input : { ...input, currency: invoiceCurrency };
  try {
    return { charges: computeCharges(given, options) };
  } catch (error) {
    const regime = regimeOf(input.country, input.customerKind);
    const indemnity = indemnityOf(regime, given);
    return {
      notes: [`interest not computed: ${(error as Error).message}`, ...(indemnity.note ? [indemnity.note] : [])],
      indemnity: indemnity.amount,
      indemnityCurrency: indemnity.currency,
      regime,
    };
  }
}

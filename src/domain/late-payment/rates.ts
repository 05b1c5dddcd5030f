import { AppError } from '../../shared/errors.ts';
import { addDays, type IsoDate } from '../calendar.ts';
import { SERIES_INFO, SERIES_KEYS, SHIPPED_SERIES, type SeriesKey, type SourceCite } from './rate-data.ts';

/**
 * Reference rates for late-payment interest, one value per half-year, in basis points (4.50 % → 450), derived
 * from the primary series of rate-data.ts by each statute's rule. Every statutory regime used here fixes its
 * rate for a whole half-year (1 January – 30 June, 1 July – 31 December):
 * - France (L441-10 C. com.) and the EU directive: the ECB rate in force on 1 January / 1 July;
 * - Germany (§ 247 BGB): the Basiszinssatz moves on 1 January / 1 July by the points the ECB rate of the latest
 *   main refinancing operation before that day moved since its last change;
 * - United Kingdom: Bank Rate on 31 December / 30 June (Late Payment of Commercial Debts (Rate of Interest)
 *   (No. 3) Order 2002);
 * - French legal rate: set by arrêté for each half-year.
 * A half-year whose reference date is past what a series is known to hold is left out on purpose: computing a
 * charge with an invented rate would be worse than refusing (see `rateFor`).
 */
export type HalfYear = `${number}H${1 | 2}`;
export type RateEntry = {
  halfYear: HalfYear;
  bp: number;
  source: string;
  verified: boolean;
  /** The value behind it was entered by the company, overriding (or completing) the shipped data. */
  company: boolean;
};
export type RateTable = { name: string; entries: RateEntry[] };

/** One value of a primary series, shipped or entered by the company. */
export type RateValue = {
  series: SeriesKey;
  from: IsoDate;
  bp: number;
  source: string;
  /** A shipped value's source as a catalogue key; a company's value has its own words only. */
  cite?: SourceCite;
  verified: boolean;
  origin: 'shipped' | 'company';
};
export type CompanyRate = { series: SeriesKey; from: IsoDate; bp: number; source: string };
export type SeriesView = { key: SeriesKey; knownThrough: IsoDate; values: RateValue[] };

export type RateBook = {
  series: Record<SeriesKey, SeriesView>;
  /** ECB rate on the first day of each half-year (France, EU directive). */
  ecb: RateTable;
  frLegalProfessional: RateTable;
  frLegalIndividual: RateTable;
  deBase: RateTable;
  /** Bank Rate on the last day before each half-year. */
  boeReference: RateTable;
};

/** The first half-year relance holds rates for: the start of the longest limitation period that matters. */
const FIRST: HalfYear = '2019H1';
/** The Basiszinssatz on 1 January 2019, unchanged since 1 July 2016 (Deutsche Bundesbank), and the ECB rate then. */
const DE_ANCHOR = { bp: -88, source: 'Basiszinssatz -0.88 % since 1 July 2016 (Deutsche Bundesbank)' };

export function halfYearOf(date: IsoDate): HalfYear {
  const month = Number(date.slice(5, 7));
  return `${Number(date.slice(0, 4))}H${month <= 6 ? 1 : 2}`;
}

export function halfYearBounds(halfYear: HalfYear): { start: IsoDate; end: IsoDate } {
  const year = halfYear.slice(0, 4);
  return halfYear.endsWith('H1')
    ? { start: `${year}-01-01`, end: `${year}-06-30` }
    : { start: `${year}-07-01`, end: `${year}-12-31` };
}

export function nextHalfYear(halfYear: HalfYear): HalfYear {
  const year = Number(halfYear.slice(0, 4));
  return halfYear.endsWith('H1') ? `${year}H2` : `${year + 1}H1`;
}

/** The value of a series in force on a date, or null when the series is not known that far. */
export function valueAt(series: SeriesView, date: IsoDate): RateValue | null {
  if (date > series.knownThrough) return null;
  let found: RateValue | null = null;
  for (const value of series.values) {
    if (value.from > date) break;
    found = value;
  }
  return found;
}

function mergeSeries(key: SeriesKey, company: CompanyRate[]): SeriesView {
  const shipped = SHIPPED_SERIES[key];
  const byDate = new Map<IsoDate, RateValue>();
  for (const v of shipped.values) byDate.set(v.from, { series: key, ...v, origin: 'shipped' });
  let knownThrough = shipped.knownThrough;
  for (const c of company) {
    if (c.series !== key) continue;
    // A value the company entered is its own statement of the rate: it replaces the shipped one of that date.
    byDate.set(c.from, { series: key, from: c.from, bp: c.bp, source: c.source, verified: true, origin: 'company' });
    if (c.from > knownThrough) knownThrough = c.from;
  }
  const values = [...byDate.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { key, knownThrough, values };
}

/** Every half-year from 2019H1 whose reference date (`reference(h)`) the series knows. */
function derive(
  name: string,
  series: SeriesView,
  reference: (h: HalfYear) => IsoDate,
  describe: (h: HalfYear, date: IsoDate, value: RateValue) => string,
): RateTable {
  const entries: RateEntry[] = [];
  for (let h = FIRST; ; h = nextHalfYear(h)) {
    const date = reference(h);
    const value = valueAt(series, date);
    if (value === null) break;
    entries.push({
      halfYear: h,
      bp: value.bp,
      verified: value.verified,
      company: value.origin === 'company',
      source: describe(h, date, value),
    });
  }
  return { name, entries };
}

const firstDay = (h: HalfYear) => halfYearBounds(h).start;
const dayBefore = (h: HalfYear) => addDays(halfYearBounds(h).start, -1);
const entered = (v: RateValue) => (v.origin === 'company' ? ', entered by the company' : '');

/** § 247 BGB: the base rate follows the ECB rate's moves between the last days before each half-year. */
function germanBase(ecb: SeriesView): RateTable {
  const entries: RateEntry[] = [];
  let previous = valueAt(ecb, dayBefore(FIRST));
  let bp = DE_ANCHOR.bp;
  for (let h = FIRST; previous !== null; h = nextHalfYear(h)) {
    const date = dayBefore(h);
    const current = valueAt(ecb, date);
    if (current === null) break;
    bp += current.bp - previous.bp;
    const verified = current.verified && previous.verified;
    entries.push({
      halfYear: h,
      bp,
      verified,
      company: current.origin === 'company',
      source:
        h === FIRST
          ? DE_ANCHOR.source
          : `Basiszinssatz by § 247 BGB from the ECB rate ${formatRate(current.bp)} % on ` +
            `${date} (${current.source}${entered(current)})${verified ? '' : ': NOT CONFIRMED'}`,
    });
    previous = current;
  }
  return { name: 'Basiszinssatz', entries };
}

/** The rates of the shipped data, with the company's own values over them. */
export function rateBook(company: CompanyRate[] = []): RateBook {
  const series = Object.fromEntries(SERIES_KEYS.map((k) => [k, mergeSeries(k, company)])) as Record<
    SeriesKey,
    SeriesView
  >;
  const legal = (_h: HalfYear, _date: IsoDate, v: RateValue) => `${v.source}${entered(v)}`;
  return {
    series,
    ecb: derive(
      'ECB main refinancing rate',
      series.ecb_mro,
      firstDay,
      (_h, date, v) => `ECB MRO rate in force on ${date}, ${v.source}${entered(v)}`,
    ),
    frLegalProfessional: derive("taux de l'intérêt légal (autres cas)", series.fr_legal_professional, firstDay, legal),
    frLegalIndividual: derive(
      "taux de l'intérêt légal (créancier particulier)",
      series.fr_legal_individual,
      firstDay,
      legal,
    ),
    deBase: germanBase(series.ecb_mro),
    boeReference: derive(
      'Bank of England reference rate',
      series.boe_bank_rate,
      dayBefore,
      (_h, date, v) => `Bank Rate on ${date}, ${v.source}${entered(v)}`,
    ),
  };
}

/** The shipped data alone: what a company that entered nothing uses. */
export const SHIPPED_RATES = rateBook();

/** The table's entry for a half-year; refuses rather than guessing when the rate is not recorded. */
export function rateFor(rates: RateTable, halfYear: HalfYear): RateEntry {
  const entry = rates.entries.find((e) => e.halfYear === halfYear);
  if (!entry) {
    throw new AppError(
      'not_found',
      `no ${rates.name} recorded for ${halfYear}: enter it with relance rates set (or Paramètres › Taux)`,
      [],
      {
        key: 'problem.rates.missing',
        params: { name: rates.name, half: halfYear.endsWith('2') ? 'second' : 'first', year: halfYear.slice(0, 4) },
      },
    );
  }
  return entry;
}

/** A rate to enter: the series, the half-year that needs it and the day its value must be known for. */
export type MissingRate = {
  series: SeriesKey;
  halfYear: HalfYear;
  date: IsoDate;
  where: string;
  fr: string;
  en: string;
};

/** The day each series must be known through for a half-year's rates. */
function referenceDate(key: SeriesKey, h: HalfYear): IsoDate {
  return key === 'boe_bank_rate' ? dayBefore(h) : firstDay(h);
}

/**
 * The values to enter on `date`: those of the current half-year, and from 30 days before the next one, its own.
 * `keys` limits the check to the series the company's laws use.
 */
export function missingRates(book: RateBook, date: IsoDate, keys: readonly SeriesKey[] = SERIES_KEYS): MissingRate[] {
  const current = halfYearOf(date);
  const next = nextHalfYear(current);
  const halves = addDays(date, 30) >= firstDay(next) ? [current, next] : [current];
  const missing: MissingRate[] = [];
  for (const h of halves) {
    for (const key of keys) {
      const day = referenceDate(key, h);
      if (day > book.series[key].knownThrough)
        missing.push({ series: key, halfYear: h, date: day, ...SERIES_INFO[key] });
    }
  }
  return missing;
}

/** Fixed recovery compensations, in minor units of the currency. */
export const FIXED_INDEMNITY = {
  /** D441-5 Code de commerce: 40 € per invoice paid late, business debtors only. */
  FR: { amount: 4000, currency: 'EUR', source: 'art. L441-10 and D441-5 Code de commerce' },
  /** § 288 Abs. 5 BGB: 40 € Verzugspauschale when the debtor is not a consumer. */
  DE: { amount: 4000, currency: 'EUR', source: '§ 288 Abs. 5 BGB' },
  /** Directive 2011/7/EU art. 6. */
  EU: { amount: 4000, currency: 'EUR', source: 'Directive 2011/7/EU, art. 6' },
} as const;

/** UK s5A Late Payment of Commercial Debts (Interest) Act 1998: by size of the debt, in pence. */
export function ukFixedSum(debtPence: number): number {
  if (debtPence < 100_000) return 4_000;
  if (debtPence < 1_000_000) return 7_000;
  return 10_000;
}

/** 1415 → "14.15"; negative base rates exist (Germany 2016-2022). */
export function formatRate(bp: number): string {
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

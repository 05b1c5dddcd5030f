import { AppError } from '../../shared/errors.ts';
import type { IsoDate } from '../calendar.ts';

/**
 * Reference rates for late-payment interest, one value per half-year, in basis points (4.50 % → 450).
 * Every statutory regime used here fixes its rate for a whole half-year (1 January – 30 June,
 * 1 July – 31 December), which is why the tables are keyed by half-year rather than by change date.
 *
 * TO CHECK against the official sources before relying on them in a real claim:
 * every entry carries `verified`. `verified: false` marks a value not read from its official source (a
 * rate reported by the press, or derived from one by the statute's rule); it says why in its source. Values marked verified
 * were cross-checked against secondary sources that quote the official texts, not the texts themselves,
 * so a second look at the cited source remains wise.
 * Missing half-years are left out on purpose: computing a charge with an invented rate would be worse
 * than refusing (see `rateFor`).
 */
export type HalfYear = `${number}H${1 | 2}`;
export type RateEntry = { halfYear: HalfYear; bp: number; source: string; verified: boolean };
export type RateTable = { name: string; entries: RateEntry[] };

/** A row: half-year, basis points, and for a value not read from its official source, why it is believed. */
type Row = [HalfYear, number, { unconfirmed: string }?];

function table(name: string, source: (h: HalfYear) => string, rows: Row[]): RateTable {
  // An unconfirmed value says so in its source too, so that every explanation quoting it carries the warning.
  const entries = rows.map(([halfYear, bp, caveat]) => ({ halfYear, bp, verified: caveat === undefined,
    source: caveat === undefined ? source(halfYear) : `${source(halfYear)}: NOT CONFIRMED, ${caveat.unconfirmed}` }));
  return { name, entries };
}

/**
 * ECB main refinancing operations rate in force on 1 January (H1) or 1 July (H2), as French law
 * (L441-10 Code de commerce, "taux appliqué par la BCE à son opération de refinancement la plus récente")
 * and the EU directive 2011/7/EU use it. Changes behind the values: 2.50 from 2022-12-21, 4.00 from
 * 2023-06-21, 4.50 from 2023-09-20, 4.25 from 2024-06-12, 3.15 from 2024-12-18, 2.15 from 2025-06-11,
 * 2.40 after the June 2026 meeting (a 25-point rise, the first since 2023, as reported by the press).
 */
export const ECB_MAIN_REFINANCING = table('ECB main refinancing rate',
  (h) => `ECB MRO rate in force on the first day of ${h}`, [
  ['2022H1', 0], ['2022H2', 0],
  ['2023H1', 250], ['2023H2', 400],
  ['2024H1', 450], ['2024H2', 425],
  ['2025H1', 315], ['2025H2', 215],
  ['2026H1', 215], // Unchanged on 22 Dec 2025 per the Bundesbank's base-rate notice.
  // Was assumed unchanged (215) until the rise was found reported (AP, 29 June 2026; staff projections of June 2026).
  ['2026H2', 240, { unconfirmed: 'a 25-point rise at the June 2026 meeting as reported by the press; ECB press release not checked' }],
]);

/**
 * French taux de l'intérêt légal, "tous les autres cas" (the creditor is a business, or any case other
 * than the one below), set by arrêté each half-year (L313-2 Code monétaire et financier).
 * 2026H2 is left out: its arrêté was not known when this table was written.
 */
export const FR_LEGAL_RATE_PROFESSIONAL = table('taux de l\'intérêt légal (autres cas)',
  (h) => `arrêté fixant le taux de l'intérêt légal pour ${h}, 2° tous les autres cas`, [
    ['2022H1', 76], ['2022H2', 77],
    ['2023H1', 206], ['2023H2', 422],
    ['2024H1', 507], ['2024H2', 492],
    ['2025H1', 371], ['2025H2', 276],
    ['2026H1', 262], // Arrêté du 15 décembre 2025, JORF du 26 décembre 2025.
  ]);

/** Same arrêtés, 1°: claims of individuals not acting for professional purposes (the creditor decides). */
export const FR_LEGAL_RATE_INDIVIDUAL = table('taux de l\'intérêt légal (créancier particulier)',
  (h) => `arrêté fixant le taux de l'intérêt légal pour ${h}, 1° créances des personnes physiques`, [
    ['2022H1', 313], ['2022H2', 315],
    ['2023H1', 447], ['2023H2', 682],
    ['2024H1', 801], ['2024H2', 816],
    ['2025H1', 721], ['2025H2', 665],
    ['2026H1', 667],
  ]);

/** German Basiszinssatz (§ 247 BGB), published by the Bundesbank, changed on 1 January and 1 July. */
export const DE_BASE_RATE = table('Basiszinssatz', (h) => `Basiszinssatz § 247 BGB for ${h} (Deutsche Bundesbank)`, [
  ['2022H1', -88], ['2022H2', -88],
  ['2023H1', 162], ['2023H2', 312],
  ['2024H1', 362], ['2024H2', 337],
  ['2025H1', 227], ['2025H2', 127],
  ['2026H1', 127],
  ['2026H2', 152, { unconfirmed: 'derived by § 247 BGB from the reported June 2026 ECB rise (+0.25); Bundesbank notice not checked' }],
]);

/**
 * UK reference rate for statutory interest: Bank of England Bank Rate in force on 31 December (for H1)
 * or 30 June (for H2) (Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002).
 */
export const BOE_REFERENCE_RATE = table('Bank of England reference rate',
  (h) => `Bank Rate on the last day before ${h} (Late Payment of Commercial Debts Act 1998)`, [
    ['2022H1', 25], ['2022H2', 125],
    ['2023H1', 350], ['2023H2', 500],
    ['2024H1', 525], ['2024H2', 525],
    ['2025H1', 475], ['2025H2', 425],
    ['2026H1', 375], // Cut to 3.75 % on 18 Dec 2025.
    ['2026H2', 375], // Held at 3.75 % on 18 Jun 2026 (7-2, two votes for a rise); next meeting in August.
  ]);

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

/** The table's entry for a half-year; refuses rather than guessing when the rate is not recorded. */
export function rateFor(rates: RateTable, halfYear: HalfYear): RateEntry {
  const entry = rates.entries.find((e) => e.halfYear === halfYear);
  if (!entry) {
    throw new AppError('not_found', `no ${rates.name} recorded for ${halfYear}: add it to src/domain/late-payment/rates.ts`);
  }
  return entry;
}

/** 1415 → "14.15"; negative base rates exist (Germany 2016-2022). */
export function formatRate(bp: number): string {
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

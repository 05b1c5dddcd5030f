import type { IsoDate } from '../calendar.ts';
import { ENGLISH_MONTHS } from '../month-names.ts';

/**
 * The primary rate series relance ships, as data: each value with the date it took effect and where it is
 * published. Every statutory rate used for late-payment interest is derived from these by its rule (see
 * rates.ts), so a new ECB or Bank of England decision, or a new French arrêté, is one value to enter — by a
 * release, or by the company itself (`relance rates set`, Paramètres › Taux), which then overrides the shipped one.
 *
 * `verified: false` marks a value not read from its official source nor confirmed by two independent secondary
 * sources; its source says why it is believed. The series go back to 2019, the start of the longest limitation
 * period that matters here (six years in England and Wales, five years between French traders).
 * `knownThrough` is the last day the series is known to be complete: a rate needed after it is refused rather
 * than guessed, and from 30 days before, the dashboard and `relance plan` ask for it.
 */
export type SeriesKey = 'ecb_mro' | 'boe_bank_rate' | 'fr_legal_professional' | 'fr_legal_individual';
export const SERIES_KEYS: readonly SeriesKey[] = [
  'ecb_mro',
  'boe_bank_rate',
  'fr_legal_professional',
  'fr_legal_individual',
];

/**
 * Where a shipped value is published, as a catalogue key and its params (`rates.source.*`), so that each reader
 * reads it in their language; `source` keeps the English text the charges' explanations quote.
 */
export type SourceCite = { key: string; params: Record<string, string> };
export type ShippedValue = { from: IsoDate; bp: number; source: string; verified: boolean; cite: SourceCite };
export type ShippedSeries = { key: SeriesKey; knownThrough: IsoDate; values: ShippedValue[] };

type Source = { text: string; cite: SourceCite };
type Row = [from: IsoDate, bp: number, source: Source, caveat?: Caveat];

/** Why an unconfirmed value is believed all the same (`rates.source.caveat.*`). */
const CAVEATS = { singleSecondary: 'quoted by a single secondary source; the JORF text not checked' };
type Caveat = keyof typeof CAVEATS;

function series(key: SeriesKey, knownThrough: IsoDate, rows: Row[]): ShippedSeries {
  return {
    key,
    knownThrough,
    values: rows.map(([from, bp, source, caveat]) => ({
      from,
      bp,
      verified: caveat === undefined,
      // An unconfirmed value says so in its source too, so that every explanation quoting it carries the warning.
      source: caveat === undefined ? source.text : `${source.text}: NOT CONFIRMED, ${CAVEATS[caveat]}`,
      cite:
        caveat === undefined
          ? source.cite
          : { key: 'rates.source.unconfirmed', params: { source: source.cite.key, ...source.cite.params, caveat } },
    })),
  };
}

/** A decision's day as the table writes it ("10 March 2016"), and as a date for the catalogue to write. */
function decision(key: string, text: string, decided: string): Source {
  const [day = '', month = '', year = ''] = decided.split(' ');
  const date = `${year}-${String(ENGLISH_MONTHS.indexOf(month as (typeof ENGLISH_MONTHS)[number]) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
  return { text: `${text} ${decided}`, cite: { key, params: { date } } };
}

const ecb = (decided: string) => decision('rates.source.ecb', 'ECB Governing Council decision of', decided);

/** ECB main refinancing operations (fixed rate), by the date each change took effect. */
export const ECB_MRO = series('ecb_mro', '2026-07-01', [
  ['2016-03-16', 0, ecb('10 March 2016')],
  ['2022-07-27', 50, ecb('21 July 2022')],
  ['2022-09-14', 125, ecb('8 September 2022')],
  ['2022-11-02', 200, ecb('27 October 2022')],
  ['2022-12-21', 250, ecb('15 December 2022')],
  ['2023-02-08', 300, ecb('2 February 2023')],
  ['2023-03-22', 350, ecb('16 March 2023')],
  ['2023-05-10', 375, ecb('4 May 2023')],
  ['2023-06-21', 400, ecb('15 June 2023')],
  ['2023-08-02', 425, ecb('27 July 2023')],
  ['2023-09-20', 450, ecb('14 September 2023')],
  ['2024-06-12', 425, ecb('6 June 2024')],
  ['2024-09-18', 365, ecb('12 September 2024')],
  ['2024-10-23', 340, ecb('17 October 2024')],
  ['2024-12-18', 315, ecb('12 December 2024')],
  ['2025-02-05', 290, ecb('30 January 2025')],
  ['2025-03-12', 265, ecb('6 March 2025')],
  ['2025-04-23', 240, ecb('17 April 2025')],
  ['2025-06-11', 215, ecb('5 June 2025')],
  ['2026-06-17', 240, ecb('11 June 2026')],
]);

const boe = (decided: string) => decision('rates.source.boe', 'Bank of England MPC decision of', decided);

/** Bank of England Bank Rate, by the date each change took effect. */
export const BOE_BANK_RATE = series('boe_bank_rate', '2026-06-30', [
  ['2018-08-02', 75, boe('2 August 2018')],
  ['2020-03-11', 25, boe('11 March 2020')],
  ['2020-03-19', 10, boe('19 March 2020')],
  ['2021-12-16', 25, boe('16 December 2021')],
  ['2022-02-03', 50, boe('3 February 2022')],
  ['2022-03-17', 75, boe('17 March 2022')],
  ['2022-05-05', 100, boe('5 May 2022')],
  ['2022-06-16', 125, boe('16 June 2022')],
  ['2022-08-04', 175, boe('4 August 2022')],
  ['2022-09-22', 225, boe('22 September 2022')],
  ['2022-11-03', 300, boe('3 November 2022')],
  ['2022-12-15', 350, boe('15 December 2022')],
  ['2023-02-02', 400, boe('2 February 2023')],
  ['2023-03-23', 425, boe('23 March 2023')],
  ['2023-05-11', 450, boe('11 May 2023')],
  ['2023-06-22', 500, boe('22 June 2023')],
  ['2023-08-03', 525, boe('3 August 2023')],
  ['2024-08-01', 500, boe('1 August 2024')],
  ['2024-11-07', 475, boe('7 November 2024')],
  ['2025-02-06', 450, boe('6 February 2025')],
  ['2025-05-08', 425, boe('8 May 2025')],
  ['2025-08-07', 400, boe('7 August 2025')],
  ['2025-12-18', 375, boe('18 December 2025')],
]);

/** The French arrêtés, one per half-year: [first day, autres cas, créancier personne physique, caveat]. */
const FR_ARRETES: [IsoDate, number, number, Caveat?][] = [
  ['2019-01-01', 86, 340],
  ['2019-07-01', 87, 326],
  ['2020-01-01', 87, 315],
  ['2020-07-01', 84, 311],
  ['2021-01-01', 79, 314],
  ['2021-07-01', 76, 312],
  ['2022-01-01', 76, 313],
  ['2022-07-01', 77, 315],
  ['2023-01-01', 206, 447],
  ['2023-07-01', 422, 682],
  ['2024-01-01', 507, 801],
  ['2024-07-01', 492, 816],
  ['2025-01-01', 371, 721],
  ['2025-07-01', 276, 665],
  ['2026-01-01', 262, 667], // arrêté du 15 décembre 2025, JORF du 26 décembre 2025
  ['2026-07-01', 275, 684, 'singleSecondary'], // arrêté du 26 juin 2026, JORF du 30 juin 2026
];

function arrete(from: IsoDate, part: 'professional' | 'individual'): Source {
  const first = from.slice(5) === '01-01';
  const text =
    `arrêté fixant le taux de l'intérêt légal pour le ${first ? 'premier' : 'second'} semestre ${from.slice(0, 4)}, ` +
    (part === 'professional' ? '2° tous les autres cas' : '1° créances des personnes physiques');
  const params = { half: first ? 'first' : 'second', year: from.slice(0, 4), part };
  return { text, cite: { key: 'rates.source.frLegal', params } };
}

/** Taux de l'intérêt légal, 2° "tous les autres cas" (L313-2 Code monétaire et financier). */
export const FR_LEGAL_PROFESSIONAL = series(
  'fr_legal_professional',
  '2026-07-01',
  FR_ARRETES.map(([from, bp]) => [from, bp, arrete(from, 'professional')]),
);

/** The same arrêtés, 1°: claims of individuals not acting for professional purposes. */
export const FR_LEGAL_INDIVIDUAL = series(
  'fr_legal_individual',
  '2026-07-01',
  FR_ARRETES.map(([from, , bp, caveat]) => [from, bp, arrete(from, 'individual'), caveat] as Row),
);

export const SHIPPED_SERIES: Record<SeriesKey, ShippedSeries> = {
  ecb_mro: ECB_MRO,
  boe_bank_rate: BOE_BANK_RATE,
  fr_legal_professional: FR_LEGAL_PROFESSIONAL,
  fr_legal_individual: FR_LEGAL_INDIVIDUAL,
};

/** What each series is and where an admin finds its next value, in both languages. */
export const SERIES_INFO: Record<SeriesKey, { fr: string; en: string; where: string; perHalfYear: boolean }> = {
  ecb_mro: {
    fr: 'taux de refinancement principal de la BCE',
    en: 'ECB main refinancing rate',
    where: 'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/html/index.en.html',
    perHalfYear: false,
  },
  boe_bank_rate: {
    fr: "Bank Rate de la Banque d'Angleterre",
    en: 'Bank of England Bank Rate',
    where: 'https://www.bankofengland.co.uk/boeapps/database/Bank-Rate.asp',
    perHalfYear: false,
  },
  fr_legal_professional: {
    fr: "taux de l'intérêt légal (autres cas)",
    en: 'French legal interest rate (other cases)',
    where: 'https://www.banque-france.fr/fr/statistiques/taux-et-cours/taux-dinteret-legal',
    perHalfYear: true,
  },
  fr_legal_individual: {
    fr: "taux de l'intérêt légal (créancier particulier)",
    en: 'French legal interest rate (individual creditor)',
    where: 'https://www.banque-france.fr/fr/statistiques/taux-et-cours/taux-dinteret-legal',
    perHalfYear: true,
  },
};

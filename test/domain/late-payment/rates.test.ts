import { describe, expect, it } from 'vitest';
import {
  formatRate,
  halfYearBounds,
  halfYearOf,
  missingRates,
  rateBook,
  rateFor,
  SHIPPED_RATES,
  ukFixedSum,
  type HalfYear,
} from '../../../src/domain/late-payment/rates.ts';
import { SHIPPED_SERIES } from '../../../src/domain/late-payment/rate-data.ts';

const HALVES: HalfYear[] = [];
for (let year = 2019; year <= 2026; year++) HALVES.push(`${year}H1`, `${year}H2`);

/** Half-year values as their publishers print them, 2019H1 to 2026H2, in basis points. */
const PUBLISHED = {
  // Deutsche Bundesbank, Basiszinssatz.
  deBase: [-88, -88, -88, -88, -88, -88, -88, -88, 162, 312, 362, 337, 227, 127, 127, 152],
  // Bank Rate on 31 December / 30 June, the UK statutory reference rate.
  boeReference: [75, 75, 75, 10, 10, 10, 25, 125, 350, 500, 525, 525, 475, 425, 375, 375],
  // Taux de l'intérêt légal, autres cas / créancier personne physique.
  frLegalProfessional: [86, 87, 87, 84, 79, 76, 76, 77, 206, 422, 507, 492, 371, 276, 262, 275],
  frLegalIndividual: [340, 326, 315, 311, 314, 312, 313, 315, 447, 682, 801, 816, 721, 665, 667, 684],
};
/** The French "taux des pénalités de retard" (ECB rate of 1 January / 1 July + 10 points), as the ministry publishes it. */
const FRENCH_LATE_PAYMENT_RATE = [
  1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1250, 1400, 1450, 1425, 1315, 1215, 1215, 1240,
];

describe('rates derived by rule from the primary series', () => {
  it('equal the published half-year values over 2019-2026', () => {
    expect(HALVES.map((h) => rateFor(SHIPPED_RATES.ecb, h).bp + 1000)).toEqual(FRENCH_LATE_PAYMENT_RATE);
    expect(HALVES.map((h) => rateFor(SHIPPED_RATES.deBase, h).bp)).toEqual(PUBLISHED.deBase);
    expect(HALVES.map((h) => rateFor(SHIPPED_RATES.boeReference, h).bp)).toEqual(PUBLISHED.boeReference);
    expect(HALVES.map((h) => rateFor(SHIPPED_RATES.frLegalProfessional, h).bp)).toEqual(PUBLISHED.frLegalProfessional);
    expect(HALVES.map((h) => rateFor(SHIPPED_RATES.frLegalIndividual, h).bp)).toEqual(PUBLISHED.frLegalIndividual);
  });

  it('give every shipped value a source, and flag only the 2026H2 rate of individual creditors as not confirmed', () => {
    for (const series of Object.values(SHIPPED_SERIES)) {
      for (const value of series.values) {
        expect(value.source).not.toBe('');
        expect(value.source.includes('NOT CONFIRMED')).toBe(!value.verified);
      }
    }
    expect(rateFor(SHIPPED_RATES.ecb, '2026H2')).toMatchObject({ bp: 240, verified: true });
    expect(rateFor(SHIPPED_RATES.deBase, '2026H2')).toMatchObject({ bp: 152, verified: true });
    expect(rateFor(SHIPPED_RATES.frLegalProfessional, '2026H2')).toMatchObject({ bp: 275, verified: true });
    expect(rateFor(SHIPPED_RATES.frLegalIndividual, '2026H2')).toMatchObject({ bp: 684, verified: false });
    const unconfirmed = Object.values(SHIPPED_SERIES).flatMap((s) =>
      s.values.filter((v) => !v.verified).map((v) => [s.key, v.from]),
    );
    expect(unconfirmed).toEqual([['fr_legal_individual', '2026-07-01']]);
  });

  it('refuse a half-year no series holds yet, naming it', () => {
    expect(() => rateFor(SHIPPED_RATES.ecb, '2027H1')).toThrow(/2027H1/);
    expect(() => rateFor(SHIPPED_RATES.boeReference, '2027H1')).toThrow(/2027H1/);
  });

  it('take a company value over the shipped one, and a new one as far as it goes', () => {
    const book = rateBook([
      { series: 'ecb_mro', from: '2026-12-17', bp: 215, source: 'ECB decision of 11 December 2026' },
      { series: 'ecb_mro', from: '2027-01-01', bp: 215, source: 'ECB rate checked on 2 January 2027' },
      { series: 'fr_legal_individual', from: '2026-07-01', bp: 685, source: 'arrêté du 26 juin 2026, JORF' },
    ]);
    expect(rateFor(book.ecb, '2027H1')).toMatchObject({ bp: 215, company: true });
    // § 247 BGB: the ECB rate fell 0.25 between 30 June and 31 December 2026.
    expect(rateFor(book.deBase, '2027H1').bp).toBe(127);
    expect(rateFor(book.frLegalIndividual, '2026H2')).toMatchObject({ bp: 685, verified: true, company: true });
    expect(rateFor(book.frLegalIndividual, '2026H2').source).toMatch(/entered by the company/);
    expect(() => rateFor(book.frLegalProfessional, '2027H1')).toThrow(/2027H1/);
  });
});

describe('missing rates', () => {
  it('are asked for from 30 days before the half-year, with where they are published', () => {
    expect(missingRates(SHIPPED_RATES, '2026-12-01')).toEqual([]);
    const asked = missingRates(SHIPPED_RATES, '2026-12-02');
    expect(asked.map((m) => [m.series, m.halfYear, m.date])).toEqual([
      ['ecb_mro', '2027H1', '2027-01-01'],
      ['boe_bank_rate', '2027H1', '2026-12-31'],
      ['fr_legal_professional', '2027H1', '2027-01-01'],
      ['fr_legal_individual', '2027H1', '2027-01-01'],
    ]);
    expect(asked[0]!.where).toMatch(/ecb\.europa\.eu/);
    expect(missingRates(SHIPPED_RATES, '2026-12-02', ['ecb_mro']).map((m) => m.series)).toEqual(['ecb_mro']);
  });
});

describe('half-years', () => {
  it('split the year on 1 July', () => {
    expect(halfYearOf('2024-06-30')).toBe('2024H1');
    expect(halfYearOf('2024-07-01')).toBe('2024H2');
    expect(halfYearOf('2025-01-01')).toBe('2025H1');
    expect(halfYearBounds('2024H1')).toEqual({ start: '2024-01-01', end: '2024-06-30' });
    expect(halfYearBounds('2024H2')).toEqual({ start: '2024-07-01', end: '2024-12-31' });
  });
});

describe('formatRate and ukFixedSum', () => {
  it('format basis points as a percentage', () => {
    expect([formatRate(1450), formatRate(7), formatRate(-88), formatRate(0)]).toEqual([
      '14.50',
      '0.07',
      '-0.88',
      '0.00',
    ]);
  });

  it('gives £40, £70, £100', () => {
    expect([ukFixedSum(0), ukFixedSum(99_999), ukFixedSum(100_000), ukFixedSum(1_000_000)]).toEqual([
      4000, 4000, 7000, 10000,
    ]);
  });
});

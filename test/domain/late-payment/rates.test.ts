import { describe, expect, it } from 'vitest';
import {
  BOE_REFERENCE_RATE, DE_BASE_RATE, ECB_MAIN_REFINANCING, formatRate, FR_LEGAL_RATE_INDIVIDUAL,
  FR_LEGAL_RATE_PROFESSIONAL, halfYearBounds, halfYearOf, rateFor, ukFixedSum, type HalfYear,
} from '../../../src/domain/late-payment/rates.ts';

const REQUIRED: HalfYear[] = ['2023H1', '2023H2', '2024H1', '2024H2', '2025H1', '2025H2', '2026H1'];

describe('rate tables', () => {
  it('cover 2023H1 to 2026H1 with a source for every entry, once per half-year', () => {
    for (const table of [ECB_MAIN_REFINANCING, FR_LEGAL_RATE_PROFESSIONAL, FR_LEGAL_RATE_INDIVIDUAL, DE_BASE_RATE,
      BOE_REFERENCE_RATE]) {
      for (const h of REQUIRED) expect(rateFor(table, h).source).not.toBe('');
      const keys = table.entries.map((e) => e.halfYear);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('keep the Basiszinssatz moving with the ECB rate (§ 247 BGB), a check on both tables', () => {
    const halves: HalfYear[] = ['2023H1', '2023H2', '2024H1', '2024H2', '2025H1', '2025H2', '2026H1', '2026H2'];
    for (let i = 1; i < halves.length; i++) {
      const ecb = rateFor(ECB_MAIN_REFINANCING, halves[i]!).bp - rateFor(ECB_MAIN_REFINANCING, halves[i - 1]!).bp;
      const base = rateFor(DE_BASE_RATE, halves[i]!).bp - rateFor(DE_BASE_RATE, halves[i - 1]!).bp;
      expect(base).toBe(ecb);
    }
  });

  it('mark the 2026H2 values not read from their official source as unverified, in their flag and in their source', () => {
    // The June 2026 rise of the ECB rate, as reported, and the German base rate that follows it by statute.
    expect(rateFor(ECB_MAIN_REFINANCING, '2026H2')).toMatchObject({ bp: 240, verified: false });
    expect(rateFor(DE_BASE_RATE, '2026H2')).toMatchObject({ bp: 152, verified: false });
    expect(rateFor(BOE_REFERENCE_RATE, '2026H2')).toMatchObject({ bp: 375, verified: true });
    for (const table of [ECB_MAIN_REFINANCING, FR_LEGAL_RATE_PROFESSIONAL, FR_LEGAL_RATE_INDIVIDUAL, DE_BASE_RATE,
      BOE_REFERENCE_RATE]) {
      for (const entry of table.entries) expect(entry.source.includes('NOT CONFIRMED')).toBe(!entry.verified);
    }
    expect(() => rateFor(FR_LEGAL_RATE_PROFESSIONAL, '2026H2')).toThrow(/2026H2/);
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
    expect([formatRate(1450), formatRate(7), formatRate(-88), formatRate(0)]).toEqual(['14.50', '0.07', '-0.88', '0.00']);
  });

  it('gives £40, £70, £100', () => {
    expect([ukFixedSum(0), ukFixedSum(99_999), ukFixedSum(100_000), ukFixedSum(1_000_000)]).toEqual([4000, 4000, 7000, 10000]);
  });
});

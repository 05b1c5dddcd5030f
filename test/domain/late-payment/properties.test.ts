import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../src/domain/calendar.ts';
import { computeCharges } from '../../../src/domain/late-payment/charges.ts';
import { halfYearOf } from '../../../src/domain/late-payment/rates.ts';

// 2023-01-01 to 2026-06-30: every half-year there has a verified rate in all tables.
const dayArb = fc.integer({ min: 0, max: 1276 }).map((n) => addDays('2023-01-01', n));
const countryArb = fc.constantFrom('FR', 'DE', 'GB', 'BE');

describe('late-payment charges properties', () => {
  it('split the lateness into half-year periods that add up to the days overdue', () => {
    fc.assert(
      fc.property(countryArb, fc.integer({ min: 1, max: 10_000_000 }), dayArb, dayArb, (country, amount, a, b) => {
        const [dueDate, asOf] = a <= b ? [a, b] : [b, a];
        const charges = computeCharges({ country, customerKind: 'company', amount, dueDate, asOf });
        expect(charges.periods.reduce((sum, p) => sum + p.days, 0)).toBe(daysBetween(dueDate, asOf));
        for (const p of charges.periods) expect(halfYearOf(p.from)).toBe(halfYearOf(p.to));
        expect(charges.interest).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never decrease with time, and never increase with a payment', () => {
    fc.assert(
      fc.property(
        countryArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        dayArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        (country, amount, dueDate, late, paidPercent) => {
          const asOf = addDays(dueDate, late);
          if (asOf > '2026-06-30') return;
          const base = { country, customerKind: 'company' as const, amount, dueDate };
          const today = computeCharges({ ...base, asOf }).interest;
          const next = addDays(asOf, 1) > '2026-06-30' ? asOf : addDays(asOf, 1);
          const tomorrow = computeCharges({ ...base, asOf: next }).interest;
          expect(tomorrow).toBeGreaterThanOrEqual(today);
          const paid = Math.floor((amount * paidPercent) / 100);
          const payments = [{ date: addDays(dueDate, Math.floor(late / 2)), amount: paid }];
          const withPayment = computeCharges({ ...base, asOf, payments });
          expect(withPayment.interest).toBeLessThanOrEqual(today);
          expect(withPayment.indemnity).toBe(computeCharges({ ...base, asOf }).indemnity);
        },
      ),
      { numRuns: 300 },
    );
  });
});

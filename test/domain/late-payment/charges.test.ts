import { describe, expect, it } from 'vitest';
import { computeCharges, invoiceChargesOrNotes, type ChargesInput } from '../../../src/domain/late-payment/charges.ts';
import { AppError } from '../../../src/shared/errors.ts';

const frB2b = (overrides: Partial<ChargesInput> = {}) =>
  computeCharges({
    country: 'FR',
    customerKind: 'company',
    amount: 1_000_000,
    dueDate: '2024-05-31',
    asOf: '2024-07-31',
    ...overrides,
  });

// Every expected figure below was worked by hand: amount × rate × days / 365, rounded half-up at the end.
describe('France, business debtor (L441-10)', () => {
  it('10,000.00 € across the mid-2024 boundary: ECB 4.50 + 10 in June, 4.25 + 10 in July, plus 40 €', () => {
    // 10000 × 14.50 % × 30 / 365 = 119.178…; 10000 × 14.25 % × 31 / 365 = 121.027…; total 240.205… → 240.21
    const charges = frB2b();
    expect(charges).toMatchObject({ regime: 'fr_b2b', currency: 'EUR', interest: 24021, indemnity: 4000, notes: [] });
    expect(charges.periods.map((p) => [p.from, p.to, p.days, p.rate, p.interest])).toEqual([
      ['2024-06-01', '2024-06-30', 30, '14.50', 11918],
      ['2024-07-01', '2024-07-31', 31, '14.25', 12103],
    ]);
    expect(charges.periods[0]!.explanation).toBe(
      'ECB rate 4.50 % (ECB MRO rate in force on 2024-01-01, ECB Governing Council decision of 14 September 2023) + 10 points',
    );
    expect(charges.basis).toEqual({ kind: 'ecb', points: 10, bp: 1425 });
  });

  it('5,000.00 € across a year end: 16 days at 14.25 %, 14 days at 13.15 %', () => {
    // 31.2329 + 25.2192 = 56.452 → 56.45
    const charges = frB2b({ amount: 500_000, dueDate: '2024-12-15', asOf: '2025-01-14' });
    expect(charges.interest).toBe(5645);
    expect(charges.periods.map((p) => [p.days, p.rateBp])).toEqual([
      [16, 1425],
      [14, 1315],
    ]);
  });

  it('counts 366 days in a leap year but divides by 365', () => {
    // 10000 × (14.50 % × 182 + 14.25 % × 184) / 365 = 1441.369… → 1441.37
    const charges = frB2b({ dueDate: '2023-12-31', asOf: '2024-12-31' });
    expect(charges.periods.map((p) => p.days)).toEqual([182, 184]);
    expect(charges.interest).toBe(144137);
  });

  it('rounds half up, once, at the end', () => {
    // 3650 € × 12.15 % × 1 / 365 = 1.215 € → 1.22 €
    expect(frB2b({ amount: 365_000, dueDate: '2025-08-01', asOf: '2025-08-02' }).interest).toBe(122);
  });

  it('raises a contract rate below three times the legal rate to that floor', () => {
    // 2025H1 legal rate 3.71 %, × 3 = 11.13 %; 1000 € × 11.13 % × 30 / 365 = 9.1479 → 9.15
    const charges = frB2b({ amount: 100_000, dueDate: '2025-01-31', asOf: '2025-03-02', contractRate: 500 });
    expect(charges.interest).toBe(915);
    expect(charges.periods[0]!.rate).toBe('11.13');
    expect(charges.periods[0]!.explanation).toMatch(/^contract rate 5.00 % raised to 3 × legal rate 3.71 % = 11.13 %/);
  });

  it('uses a contract rate at or above the floor as it is', () => {
    // 1000 € × 15 % × 30 / 365 = 12.328… → 12.33
    expect(frB2b({ amount: 100_000, dueDate: '2025-01-31', asOf: '2025-03-02', contractRate: 1500 }).interest).toBe(
      1233,
    );
    expect(
      frB2b({ amount: 100_000, dueDate: '2025-01-31', asOf: '2025-03-02', contractRate: 1113 }).periods[0]!.rateBp,
    ).toBe(1113);
  });

  it('owes nothing on or before the due date, and one day from the day after', () => {
    expect(frB2b({ asOf: '2024-05-31' })).toMatchObject({ interest: 0, indemnity: 0, periods: [] });
    expect(frB2b({ asOf: '2024-06-01' }).periods[0]!.days).toBe(1);
  });

  it('owes the 40 € once per invoice whatever is left to pay, none on an invoice credited in full', () => {
    expect(frB2b({ amount: 1 }).indemnity).toBe(4000);
    expect(frB2b({ credits: [{ date: '2024-07-01', amount: 1_000_000 }] })).toMatchObject({
      interest: 0,
      indemnity: 0,
    });
  });
});

describe('partial payments', () => {
  it('stop interest on what was paid from the day after the payment, without touching the 40 €', () => {
    // 10000 € × 14.50 % × 15/365 + 6000 € × 14.50 % × 15/365 + 6000 € × 14.25 % × 31/365
    // = 59.589 + 35.753 + 72.616 = 167.959 → 167.96
    const charges = frB2b({ payments: [{ date: '2024-06-15', amount: 400_000 }] });
    expect(charges.periods.map((p) => [p.from, p.to, p.principal, p.days])).toEqual([
      ['2024-06-01', '2024-06-15', 1_000_000, 15],
      ['2024-06-16', '2024-06-30', 600_000, 15],
      ['2024-07-01', '2024-07-31', 600_000, 31],
    ]);
    expect(charges).toMatchObject({ interest: 16796, indemnity: 4000 });
  });

  it('end interest on the day of the last payment; the 40 € remains due for paying late', () => {
    // 10000 € × 14.50 % × 10 / 365 = 39.726 → 39.73
    const charges = frB2b({
      payments: [
        { date: '2024-06-10', amount: 300_000 },
        { date: '2024-06-10', amount: 700_000 },
      ],
    });
    expect(charges).toMatchObject({ interest: 3973, indemnity: 4000 });
    expect(charges.periods).toHaveLength(1);
  });

  it('count a payment made before the due date from the start, in any order', () => {
    const charges = frB2b({
      payments: [
        { date: '2024-07-01', amount: 100_000 },
        { date: '2024-05-20', amount: 600_000 },
      ],
    });
    expect(charges.periods.map((p) => [p.principal, p.days])).toEqual([
      [400_000, 30],
      [400_000, 1],
      [300_000, 30],
    ]);
  });
});

describe('France, consumer debtor', () => {
  const consumer = (overrides: Partial<ChargesInput> = {}) =>
    computeCharges({
      country: 'FR',
      customerKind: 'individual',
      amount: 200_000,
      dueDate: '2025-05-31',
      asOf: '2025-07-20',
      formalNoticeDate: '2025-06-20',
      ...overrides,
    });

  it('runs legal interest from the formal notice, without the 40 €', () => {
    // Creditor is a business: 2000 € × (3.71 % × 10 + 2.76 % × 20) / 365 = 5.0575… → 5.06
    const charges = consumer();
    expect(charges).toMatchObject({ regime: 'fr_b2c', interest: 506, indemnity: 0 });
    expect(charges.periods.map((p) => [p.from, p.days, p.rate])).toEqual([
      ['2025-06-21', 10, '3.71'],
      ['2025-07-01', 20, '2.76'],
    ]);
  });

  it('uses the higher rate when the creditor is an individual', () => {
    // 2000 € × (7.21 % × 10 + 6.65 % × 20) / 365 = 11.238… → 11.24
    expect(consumer({ creditorKind: 'individual' }).interest).toBe(1124);
  });

  it('owes no interest without a formal notice', () => {
    const charges = consumer({ formalNoticeDate: null });
    expect(charges).toMatchObject({ interest: 0, indemnity: 0, periods: [] });
    expect(charges.notes[0]).toMatch(/formal notice/);
  });
});

describe('Germany (§ 288 BGB)', () => {
  it('business: Basiszinssatz + 9 points and 40 €', () => {
    // 10000 € × 11.27 % × 90 / 365 = 277.890… → 277.89
    const charges = computeCharges({
      country: 'DE',
      customerKind: 'company',
      amount: 1_000_000,
      dueDate: '2024-12-31',
      asOf: '2025-03-31',
    });
    expect(charges).toMatchObject({ regime: 'de_b2b', interest: 27789, indemnity: 4000 });
  });

  it('consumer: + 5 points from the reminder, no lump sum', () => {
    // 10000 € × 7.27 % × 59 / 365 = 117.515… → 117.52
    const charges = computeCharges({
      country: 'DE',
      customerKind: 'individual',
      amount: 1_000_000,
      dueDate: '2024-12-31',
      asOf: '2025-03-31',
      firstReminderDate: '2025-01-31',
    });
    expect(charges).toMatchObject({ regime: 'de_b2c', interest: 11752, indemnity: 0 });
    expect(
      computeCharges({
        country: 'DE',
        customerKind: 'individual',
        amount: 1_000_000,
        dueDate: '2024-12-31',
        asOf: '2025-03-31',
      }).notes[0],
    ).toMatch(/first reminder/);
  });

  it('handles the negative base rate of 2022', () => {
    // 1000 € × (−0.88 + 9) % × 30 / 365 = 6.674 → 6.67
    const charges = computeCharges({
      country: 'DE',
      customerKind: 'company',
      amount: 100_000,
      dueDate: '2022-03-31',
      asOf: '2022-04-30',
    });
    expect(charges.interest).toBe(667);
    expect(charges.periods[0]!.explanation).toMatch(/^Basiszinssatz -0.88 %/);
  });
});

describe('United Kingdom (Late Payment of Commercial Debts Act 1998)', () => {
  it('reference rate + 8 % per half-year and the fixed sum by debt size', () => {
    // £5000 × (12.75 % × 15 + 12.25 % × 15) / 365 = 51.369… → 51.37; £1000-£9999.99 → £70
    const charges = computeCharges({
      country: 'GB',
      customerKind: 'company',
      amount: 500_000,
      dueDate: '2025-06-15',
      asOf: '2025-07-15',
    });
    expect(charges).toMatchObject({ regime: 'uk_b2b', currency: 'GBP', interest: 5137, indemnity: 7000 });
  });

  it('steps the fixed sum at £1,000 and £10,000', () => {
    const sum = (amount: number) =>
      computeCharges({ country: 'UK', customerKind: 'company', amount, dueDate: '2025-06-15', asOf: '2025-07-15' })
        .indemnity;
    expect([sum(99_999), sum(100_000), sum(999_999), sum(1_000_000)]).toEqual([4000, 7000, 7000, 10000]);
  });

  it('covers business debts only', () => {
    const charges = computeCharges({
      country: 'GB',
      customerKind: 'individual',
      amount: 500_000,
      dueDate: '2025-06-15',
      asOf: '2025-07-15',
      formalNoticeDate: '2025-06-20',
    });
    expect(charges).toMatchObject({ regime: 'uk_b2c', interest: 0, indemnity: 0 });
  });
});

describe('EU default (Directive 2011/7/EU)', () => {
  it('ECB rate + 8 points and 40 €', () => {
    // 1000 € × 11.15 % × 30 / 365 = 9.164… → 9.16
    const charges = computeCharges({
      country: 'BE',
      customerKind: 'company',
      amount: 100_000,
      dueDate: '2025-01-31',
      asOf: '2025-03-02',
      contractRate: 2000,
    });
    expect(charges).toMatchObject({ regime: 'eu_b2b', interest: 916, indemnity: 4000 });
    expect(charges.notes).toEqual(['contract rate ignored: French law only here']);
  });
});

describe('rates not known', () => {
  it('flags a period computed with a rate not yet confirmed by its official source', () => {
    const charges = computeCharges({
      country: 'FR',
      customerKind: 'individual',
      creditorKind: 'individual',
      amount: 100_000,
      dueDate: '2026-06-30',
      asOf: '2026-07-10',
      formalNoticeDate: '2026-06-30',
    });
    expect(charges.periods[0]!.verified).toBe(false);
    expect(charges.notes).toEqual(['a rate used is not yet confirmed by its official source (see relance rates list)']);
    expect(frB2b({ dueDate: '2026-06-30', asOf: '2026-07-10' }).notes).toEqual([]);
  });

  it('refuses to compute with a rate that was never recorded', () => {
    expect(() => frB2b({ dueDate: '2026-12-31', asOf: '2027-01-10' })).toThrow(AppError);
    expect(() => frB2b({ dueDate: '2026-12-31', asOf: '2027-01-10', contractRate: 1200 })).toThrow(
      /no taux de l'intérêt légal \(autres cas\) recorded for 2027H1/,
    );
  });

  it('still gives the 40 € indemnity of an invoice whose interest cannot be computed, saying why there is no interest', () => {
    const input = {
      country: 'FR',
      customerKind: 'company' as const,
      amount: 100_000,
      dueDate: '2026-12-31',
      asOf: '2027-01-10',
      contractRate: 1200,
    };
    expect(invoiceChargesOrNotes(input, 'EUR')).toEqual({
      indemnity: 4000,
      indemnityCurrency: 'EUR',
      regime: 'fr_b2b',
      notes: [
        expect.stringMatching(
          /^interest not computed: .*no taux de l'intérêt légal \(autres cas\) recorded for 2027H1/,
        ),
      ],
    });
    // A consumer owes no indemnity, with or without a rate.
    expect(
      invoiceChargesOrNotes({ ...input, customerKind: 'individual', formalNoticeDate: '2026-07-01' }, 'EUR'),
    ).toMatchObject({ indemnity: 0 });
  });
});

describe('other currencies', () => {
  it("owe interest in the invoice currency under the applicable law, and the fixed indemnity in the law's", () => {
    // $10,000 × 12.40 % × 31 / 365 = 105.315… → 105.32; the 40 € stay in euros.
    const outcome = invoiceChargesOrNotes(
      { country: 'FR', customerKind: 'company', amount: 1_000_000, dueDate: '2026-08-31', asOf: '2026-10-01' },
      'USD',
    );
    expect(outcome).toMatchObject({
      charges: { currency: 'USD', interest: 10532, indemnity: 4000, indemnityCurrency: 'EUR' },
    });
  });

  it('leave the UK fixed sum out of a debt not in pounds, saying why', () => {
    const outcome = invoiceChargesOrNotes(
      { country: 'GB', customerKind: 'company', amount: 500_000, dueDate: '2025-06-15', asOf: '2025-07-15' },
      'EUR',
    );
    expect(outcome).toMatchObject({ charges: { currency: 'EUR', interest: 5137, indemnity: 0 } });
    expect('charges' in outcome && outcome.charges.notes[0]).toMatch(/in pounds/);
  });
});

describe('credit notes', () => {
  it('lower the principal from the due date, whatever their date, unlike a payment', () => {
    // 10000 € − 4000 € credited on 15 June: 6000 € × (14.50 % × 30 + 14.25 % × 31) / 365 = 71.507 + 72.616 = 144.123… → 144.12
    const charges = frB2b({ credits: [{ date: '2024-06-15', amount: 400_000 }] });
    expect(charges.periods.map((p) => [p.from, p.principal, p.days])).toEqual([
      ['2024-06-01', 600_000, 30],
      ['2024-07-01', 600_000, 31],
    ]);
    expect(charges.interest).toBe(14412);
  });
});

describe('Germany without an agreed term', () => {
  it('puts a business debtor in default 30 days after the invoice (§ 286 Abs. 3 BGB)', () => {
    // Invoice of 1 March 2025 due the same day: 30 days to pay, to 31 March; default from 1 April; 10000 € × 11.27 % × 1 / 365 = 3.087 → 3.09
    const charges = computeCharges({
      country: 'DE',
      customerKind: 'company',
      amount: 1_000_000,
      issueDate: '2025-03-01',
      dueDate: '2025-03-01',
      asOf: '2025-04-01',
    });
    expect(charges.periods.map((p) => [p.from, p.days])).toEqual([['2025-04-01', 1]]);
    expect(charges.interest).toBe(309);
  });
});

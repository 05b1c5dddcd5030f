import { describe, expect, it } from 'vitest';
import {
  allocationProblem,
  balanceOf,
  daysOverdue,
  InvoiceSchema,
  PaymentMethodSchema,
  scheduleProblem,
  type Instalment,
} from '../../src/domain/ledger.ts';

const invoice = { number: 'F-2025-001', total: 120000, allocated: 20000, status: 'issued' as const, currency: 'EUR' };

describe('balanceOf', () => {
  it('is what is left to pay', () => {
    expect(balanceOf(invoice)).toBe(100000);
    expect(balanceOf({ ...invoice, allocated: 0 })).toBe(120000);
    expect(balanceOf({ ...invoice, allocated: 120000 })).toBe(0);
  });

  it('is zero for a cancelled invoice, whatever was allocated', () => {
    expect(balanceOf({ ...invoice, status: 'cancelled' })).toBe(0);
    expect(balanceOf({ ...invoice, allocated: 0, status: 'cancelled' })).toBe(0);
  });
});

describe('daysOverdue', () => {
  it('counts calendar days after the due date', () => {
    expect(daysOverdue('2025-01-31', '2025-02-01')).toBe(1);
    expect(daysOverdue('2025-01-31', '2025-03-01')).toBe(29);
    expect(daysOverdue('2024-01-31', '2024-03-01')).toBe(30);
    expect(daysOverdue('2024-12-15', '2025-01-15')).toBe(31);
  });

  it('is zero on the due date and negative before it', () => {
    expect(daysOverdue('2025-01-31', '2025-01-31')).toBe(0);
    expect(daysOverdue('2025-01-31', '2025-01-20')).toBe(-11);
  });
});

describe('allocationProblem', () => {
  it('accepts an amount up to the balance', () => {
    expect(allocationProblem(invoice, 1, 'EUR')).toBeNull();
    expect(allocationProblem(invoice, 100000, 'EUR')).toBeNull();
  });

  it('names the invoice, the amount and the balance when over-allocating', () => {
    const problem = allocationProblem(invoice, 100001, 'EUR');
    expect(problem?.reason).toBe('1000.01 EUR exceeds the balance of invoice F-2025-001 (1000.00 EUR)');
    // The reader's language writes the amounts, from cents: the catalogue key carries them unformatted.
    expect(problem).toMatchObject({ code: 'ledger.aboveBalance', params: { amount: 100001, balance: 100000 } });
  });

  it('refuses anything on a fully paid invoice', () => {
    expect(allocationProblem({ ...invoice, allocated: 120000 }, 1, 'EUR')?.reason).toBe(
      '0.01 EUR exceeds the balance of invoice F-2025-001 (0.00 EUR)',
    );
  });

  it('refuses a cancelled invoice', () => {
    expect(allocationProblem({ ...invoice, status: 'cancelled' }, 100, 'EUR')?.reason).toBe(
      'invoice F-2025-001 is cancelled',
    );
  });

  it('refuses a payment in another currency', () => {
    expect(allocationProblem(invoice, 100, 'USD')?.reason).toBe("currency USD differs from invoice F-2025-001's EUR");
  });

  it('refuses zero and negative amounts', () => {
    expect(allocationProblem(invoice, 0, 'EUR')?.reason).toBe('an allocation must be a positive amount');
    expect(allocationProblem(invoice, -500, 'EUR')?.reason).toBe('an allocation must be a positive amount');
  });

  it('writes amounts in the currency’s own decimals', () => {
    const yen = { number: 'J-1', total: 5000, allocated: 0, status: 'issued' as const, currency: 'JPY' };
    expect(allocationProblem(yen, 5001, 'JPY')?.reason).toBe('5001 JPY exceeds the balance of invoice J-1 (5000 JPY)');
  });
});

describe('scheduleProblem', () => {
  const instalments = (...parts: [string, number][]): Instalment[] =>
    parts.map(([dueDate, amount], i) => ({ seq: i + 1, dueDate, amount }));

  it('accepts instalments that add up and fall in order', () => {
    expect(
      scheduleProblem(30000, instalments(['2025-01-31', 10000], ['2025-02-28', 10000], ['2025-03-31', 10000])),
    ).toBeNull();
    expect(scheduleProblem(30000, instalments(['2025-01-31', 15000], ['2025-01-31', 15000]))).toBeNull();
  });

  it('refuses instalments that do not add up to the amount', () => {
    expect(scheduleProblem(30000, instalments(['2025-01-31', 10000], ['2025-02-28', 10000]))?.reason).toBe(
      'instalments add up to 200.00 EUR but the amount to split is 300.00 EUR',
    );
    expect(scheduleProblem(30000, instalments(['2025-01-31', 20000], ['2025-02-28', 10001]))?.reason).toMatch(
      /add up to 300.01 EUR/,
    );
  });

  it('refuses instalments out of due-date order', () => {
    expect(scheduleProblem(20000, instalments(['2025-03-31', 10000], ['2025-02-28', 10000]))?.reason).toBe(
      'instalments must be in due-date order',
    );
  });
});

describe('schemas', () => {
  it('knows the payment methods', () => {
    expect(PaymentMethodSchema.options).toEqual(['transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other']);
  });

  it('refuses an invoice with a non-integer amount or an impossible date', () => {
    const valid = {
      id: 'i1',
      number: 'F-1',
      customerId: 'c1',
      issueDate: '2025-01-01',
      dueDate: '2025-01-31',
      currency: 'EUR',
      totalExclTax: null,
      total: 1000,
      allocated: 0,
      title: null,
      salesRep: null,
      status: 'issued',
      disputed: false,
      disputeReason: null,
      promiseToPayDate: null,
    };
    expect(InvoiceSchema.safeParse(valid).success).toBe(true);
    expect(InvoiceSchema.safeParse({ ...valid, total: 10.5 }).success).toBe(false);
    expect(InvoiceSchema.safeParse({ ...valid, dueDate: '2025-02-30' }).success).toBe(false);
  });
});

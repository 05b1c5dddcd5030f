import { translator } from '../../src/i18n/index.ts';
import { describe, expect, it } from 'vitest';
import {
  createQuote,
  getPaymentSchedule,
  listQuotes,
  setPaymentSchedule,
  setQuoteStatus,
} from '../../src/storage/quotes.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import type { Quote } from '../../src/domain/ledger.ts';
import { newId } from '../../src/shared/ids.ts';
import { dialects } from '../support/stores.ts';
import { ISO_DATE, countRows, expectAppError, seedLedger, useStore } from './helpers.ts';

describe.each(dialects)('quotes and payment schedules on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const { company, customer, invoice } = await seedLedger(db, { total: 90_000 });
    const quote = (number: string, overrides: Partial<Omit<Quote, 'id'>> = {}): Omit<Quote, 'id'> => ({
      number,
      customerId: customer.id,
      date: '2025-01-10',
      validUntil: '2025-02-10',
      currency: 'EUR',
      total: 50_000,
      status: 'pending',
      ...overrides,
    });
    return { db, companyId: company.id, customer, invoice, quote };
  }

  it('createQuote, listQuotes and setQuoteStatus', async () => {
    const { db, companyId, quote } = await setup();
    const d2 = await createQuote(db, companyId, quote('D2', { total: 12_345 }));
    const d1 = await createQuote(db, companyId, quote('D1'));
    expect(d2).toEqual({ id: d2.id, ...quote('D2', { total: 12_345 }) });

    const listed = await listQuotes(db, companyId);
    // Each with its customer, as the quotes screen lists them.
    const withCustomer = { customerCode: expect.any(String), customerName: expect.any(String) };
    expect(listed).toEqual([
      { ...d1, ...withCustomer },
      { ...d2, ...withCustomer },
    ]);
    expect(listed[0]?.date).toMatch(ISO_DATE);
    expect(typeof listed[0]?.total).toBe('number');

    await setQuoteStatus(db, companyId, 'D1', 'accepted');
    await setQuoteStatus(db, companyId, 'D2', 'refused');
    expect((await listQuotes(db, companyId, { status: 'accepted' })).map((q) => q.number)).toEqual(['D1']);
    expect((await listQuotes(db, companyId, { status: 'refused' })).map((q) => q.number)).toEqual(['D2']);
    expect(await listQuotes(db, companyId, { status: 'pending' })).toEqual([]);
    await expectAppError(setQuoteStatus(db, companyId, 'D9', 'accepted'), 'not_found');
  });

  it('createQuote refuses a validity ending before the quote date', async () => {
    const { db, companyId, quote } = await setup();
    await expectAppError(createQuote(db, companyId, quote('D1', { validUntil: '2025-01-09' })), 'invalid_input', /D1/);
    expect(await countRows(db, 'quotes')).toBe(0);
  });

  it('setPaymentSchedule splits the balance; getPaymentSchedule returns the instalments in order', async () => {
    const { db, companyId, customer, invoice } = await setup();
    expect(await getPaymentSchedule(db, companyId, invoice.id)).toBeNull();
    await insertPayment(db, companyId, {
      customerId: customer.id,
      date: '2025-02-01',
      currency: 'EUR',
      amount: 30_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoice.id, amount: 30_000 }],
    });
    const instalments = [
      { seq: 1, dueDate: '2025-03-01', amount: 20_000 },
      { seq: 2, dueDate: '2025-04-01', amount: 20_000 },
      { seq: 3, dueDate: '2025-05-01', amount: 20_000 },
    ];
    const schedule = await setPaymentSchedule(db, companyId, invoice.id, instalments);
    expect(schedule).toEqual({ id: schedule.id, invoiceId: invoice.id, instalments });
    const stored = await getPaymentSchedule(db, companyId, invoice.id);
    expect(stored).toEqual(schedule);
    expect(typeof stored?.instalments[0]?.amount).toBe('number');
    expect(stored?.instalments[0]?.dueDate).toMatch(ISO_DATE);
  });

  it('setPaymentSchedule refuses instalments that do not add up to the balance', async () => {
    const { db, companyId, invoice } = await setup();
    const tooLittle = [
      { seq: 1, dueDate: '2025-03-01', amount: 40_000 },
      { seq: 2, dueDate: '2025-04-01', amount: 40_000 },
    ];
    const refused = await expectAppError(
      setPaymentSchedule(db, companyId, invoice.id, tooLittle),
      'invalid_input',
      /F1.*800\.00 EUR.*900\.00 EUR/,
    );
    // Amounts as a French reader writes them, never raw cents.
    expect(translator('fr')(refused.messageKey!, refused.params)).toBe(
      'Échéancier de la facture F1 refusé : les échéances totalisent 800,00\u00a0€ alors que le montant à répartir est de 900,00\u00a0€.',
    );
    const tooMuch = [
      { seq: 1, dueDate: '2025-03-01', amount: 90_000 },
      { seq: 2, dueDate: '2025-04-01', amount: 1 },
    ];
    await expectAppError(setPaymentSchedule(db, companyId, invoice.id, tooMuch), 'invalid_input');
    const unordered = [
      { seq: 1, dueDate: '2025-04-01', amount: 45_000 },
      { seq: 2, dueDate: '2025-03-01', amount: 45_000 },
    ];
    await expectAppError(setPaymentSchedule(db, companyId, invoice.id, unordered), 'invalid_input', /order/);
    expect(await getPaymentSchedule(db, companyId, invoice.id)).toBeNull();
    expect(await countRows(db, 'payment_schedules')).toBe(0);
    await expectAppError(setPaymentSchedule(db, companyId, newId(), tooLittle), 'not_found');
  });

  it('a new schedule replaces the previous one and its instalments', async () => {
    const { db, companyId, invoice } = await setup();
    const first = await setPaymentSchedule(db, companyId, invoice.id, [
      { seq: 1, dueDate: '2025-03-01', amount: 30_000 },
      { seq: 2, dueDate: '2025-04-01', amount: 30_000 },
      { seq: 3, dueDate: '2025-05-01', amount: 30_000 },
    ]);
    const replacement = [
      { seq: 1, dueDate: '2025-03-15', amount: 45_000 },
      { seq: 2, dueDate: '2025-06-15', amount: 45_000 },
    ];
    const second = await setPaymentSchedule(db, companyId, invoice.id, replacement);
    expect(second.id).not.toBe(first.id);
    expect(await getPaymentSchedule(db, companyId, invoice.id)).toEqual({
      id: second.id,
      invoiceId: invoice.id,
      instalments: replacement,
    });
    expect(await countRows(db, 'payment_schedules')).toBe(1);
    expect(await countRows(db, 'instalments')).toBe(2);
  });
});

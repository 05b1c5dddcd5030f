import { describe, expect, it } from 'vitest';
import { createCustomer, listCustomers } from '../../src/storage/customers.ts';
import { cancelInvoice, createInvoice, listInvoices } from '../../src/storage/invoices.ts';
import {
  removePayment,
  listAllocations,
  insertCreditNote,
  insertPayment,
  type AllocationInput,
  type PaymentInput,
} from '../../src/storage/allocations.ts';
import { AppError } from '../../src/shared/errors.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { newId } from '../../src/shared/ids.ts';
import { dialects } from '../support/stores.ts';
import { countRows, customerInput, expectAppError, invoiceInput, reload, seedLedger, useStore } from './helpers.ts';

const TOTAL = 100_000;

describe.each(dialects)('payments, credit notes and allocations on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const { company, customer, invoice } = await seedLedger(db, { total: TOTAL });
    const companyId = company.id;
    const payment = (
      amount: number,
      allocations: AllocationInput[],
      overrides: Partial<PaymentInput> = {},
    ): PaymentInput => ({
      customerId: customer.id,
      date: '2025-02-10',
      currency: 'EUR',
      amount,
      method: 'transfer',
      reference: 'VIR 123',
      allocations,
      ...overrides,
    });
    const balance = async () => {
      const fresh = await reload(db, companyId, invoice);
      return fresh.total - fresh.allocated;
    };
    /** Runs a refused operation and checks that it left the ledger exactly as it was. */
    const expectNothingWritten = async (
      operation: () => Promise<unknown>,
      code: AppError['code'],
      message?: RegExp,
    ) => {
      const before = {
        payments: await countRows(db, 'payments'),
        creditNotes: await countRows(db, 'credit_notes'),
        allocations: await countRows(db, 'allocations'),
        invoices: await listInvoices(db, companyId, { asOf: '2025-03-01' }),
      };
      const error = await expectAppError(operation(), code, message);
      expect(await countRows(db, 'payments')).toBe(before.payments);
      expect(await countRows(db, 'credit_notes')).toBe(before.creditNotes);
      expect(await countRows(db, 'allocations')).toBe(before.allocations);
      expect((await listInvoices(db, companyId, { asOf: '2025-03-01' })).map((i) => i.allocated)).toEqual(
        before.invoices.map((i) => i.allocated),
      );
      return error;
    };
    return { db, companyId, customer, invoice, payment, balance, expectNothingWritten };
  }

  it('a partial payment reduces the balance and a credit note reduces it further', async () => {
    const { db, companyId, customer, invoice, payment, balance } = await setup();
    const paid = await insertPayment(db, companyId, payment(30_000, [{ invoiceId: invoice.id, amount: 30_000 }]));
    expect(paid).toMatchObject({ customerId: customer.id, amount: 30_000, currency: 'EUR', method: 'transfer' });
    expect(await balance()).toBe(70_000);

    const note = await insertCreditNote(db, companyId, {
      number: 'AV-1',
      customerId: customer.id,
      date: '2025-02-20',
      currency: 'EUR',
      total: 20_000,
      reason: 'Remise',
      allocations: [{ invoiceId: invoice.id, amount: 20_000 }],
    });
    expect(note).toMatchObject({ number: 'AV-1', total: 20_000, reason: 'Remise' });
    expect(await balance()).toBe(50_000);
    const [listed] = await listInvoices(db, companyId, { asOf: '2025-03-01', open: true });
    expect(listed).toMatchObject({ allocated: 50_000, balance: 50_000 });
  });

  it('an unallocated part of a payment stays as credit without touching the invoice', async () => {
    const { db, companyId, invoice, payment, balance } = await setup();
    await insertPayment(db, companyId, payment(50_000, [{ invoiceId: invoice.id, amount: 20_000 }]));
    await insertPayment(db, companyId, payment(10_000, []));
    expect(await balance()).toBe(80_000);
    expect(await countRows(db, 'payments')).toBe(2);
  });

  it('an allocation beyond the balance is over_allocation, names the invoice and writes nothing of the payment', async () => {
    const { db, companyId, customer, invoice, payment, expectNothingWritten } = await setup();
    const f2 = await createInvoice(db, companyId, customer.id, invoiceInput('F2', { total: 10_000 }));
    await insertPayment(db, companyId, payment(60_000, [{ invoiceId: invoice.id, amount: 60_000 }]));
    // The first allocation (to F2) fits; the second does not: the whole payment must be rolled back.
    const error = await expectNothingWritten(
      () =>
        insertPayment(
          db,
          companyId,
          payment(55_000, [
            { invoiceId: f2.id, amount: 5_000 },
            { invoiceId: invoice.id, amount: 50_000 },
          ]),
        ),
      'over_allocation',
      /\bF1\b/,
    );
    expect(error.message).toMatch(/400\.00/);
    expect((await reload(db, companyId, f2)).allocated).toBe(0);
    expect((await reload(db, companyId, invoice)).allocated).toBe(60_000);
  });

  it('refuses allocations adding up to more than the payment or the credit note', async () => {
    const { db, companyId, customer, invoice, payment, expectNothingWritten } = await setup();
    await expectNothingWritten(
      () =>
        insertPayment(
          db,
          companyId,
          payment(10_000, [
            { invoiceId: invoice.id, amount: 6_000 },
            { invoiceId: invoice.id, amount: 6_000 },
          ]),
        ),
      'over_allocation',
    );
    await expectNothingWritten(
      () =>
        insertCreditNote(db, companyId, {
          number: 'AV-1',
          customerId: customer.id,
          date: '2025-02-20',
          currency: 'EUR',
          total: 1_000,
          reason: null,
          allocations: [{ invoiceId: invoice.id, amount: 1_001 }],
        }),
      'over_allocation',
    );
  });

  it('refuses a payment in another currency than the invoice', async () => {
    const { db, companyId, invoice, payment, expectNothingWritten } = await setup();
    await expectNothingWritten(
      () =>
        insertPayment(db, companyId, payment(1_000, [{ invoiceId: invoice.id, amount: 1_000 }], { currency: 'USD' })),
      'over_allocation',
      /USD.*F1|F1.*USD/,
    );
  });

  it("refuses a payment allocated to another customer's invoice", async () => {
    const { db, companyId, invoice, payment, expectNothingWritten } = await setup();
    const other = await createCustomer(db, companyId, customerInput('C2'));
    await expectNothingWritten(
      () =>
        insertPayment(
          db,
          companyId,
          payment(1_000, [{ invoiceId: invoice.id, amount: 1_000 }], { customerId: other.id }),
        ),
      'invalid_input',
      /F1/,
    );
  });

  it('refuses an allocation to a cancelled invoice, and to an unknown one', async () => {
    const { db, companyId, customer, payment, expectNothingWritten } = await setup();
    const f2 = await createInvoice(db, companyId, customer.id, invoiceInput('F2', { total: 10_000 }));
    await cancelInvoice(db, companyId, 'F2');
    await expectNothingWritten(
      () => insertPayment(db, companyId, payment(1_000, [{ invoiceId: f2.id, amount: 1_000 }])),
      'over_allocation',
      /F2.*cancelled/,
    );
    await expectNothingWritten(
      () =>
        insertCreditNote(db, companyId, {
          number: 'AV-1',
          customerId: customer.id,
          date: '2025-02-20',
          currency: 'EUR',
          total: 1_000,
          reason: null,
          allocations: [{ invoiceId: f2.id, amount: 1_000 }],
        }),
      'over_allocation',
      /cancelled/,
    );
    await expectNothingWritten(
      () => insertPayment(db, companyId, payment(1_000, [{ invoiceId: newId(), amount: 1_000 }])),
      'not_found',
    );
  });

  it('refuses zero or negative amounts', async () => {
    const { db, companyId, invoice, payment, expectNothingWritten } = await setup();
    await expectNothingWritten(() => insertPayment(db, companyId, payment(0, [])), 'invalid_input');
    await expectNothingWritten(
      () => insertPayment(db, companyId, payment(1_000, [{ invoiceId: invoice.id, amount: -500 }])),
      'invalid_input',
      /positive/,
    );
  });

  it('listAllocations lists the payment and the credit note with their labels', async () => {
    const { db, companyId, customer, invoice, payment } = await setup();
    const paid = await insertPayment(db, companyId, payment(30_000, [{ invoiceId: invoice.id, amount: 25_000 }]));
    const note = await insertCreditNote(db, companyId, {
      number: 'AV-7',
      customerId: customer.id,
      date: '2025-02-20',
      currency: 'EUR',
      total: 5_000,
      reason: null,
      allocations: [{ invoiceId: invoice.id, amount: 5_000 }],
    });
    await insertPayment(
      db,
      companyId,
      payment(1_000, [{ invoiceId: invoice.id, amount: 1_000 }], {
        date: '2025-03-01',
        method: 'cheque',
        reference: null,
      }),
    );

    const allocations = await listAllocations(db, companyId, invoice.id);
    expect(allocations.map(({ kind, label, amount, date }) => ({ kind, label, amount, date }))).toEqual([
      { kind: 'payment', label: 'transfer VIR 123', amount: 25_000, date: '2025-02-10' },
      { kind: 'credit_note', label: 'avoir AV-7', amount: 5_000, date: '2025-02-20' },
      { kind: 'payment', label: 'cheque', amount: 1_000, date: '2025-03-01' },
    ]);
    expect(allocations[0]).toMatchObject({ invoiceId: invoice.id, paymentId: paid.id, creditNoteId: null });
    expect(allocations[1]).toMatchObject({ paymentId: null, creditNoteId: note.id });
    expect(typeof allocations[0]?.amount).toBe('number');
  });

  it('removePayment gives the amounts back to the balance', async () => {
    const { db, companyId, invoice, payment, balance } = await setup();
    const kept = await insertPayment(db, companyId, payment(10_000, [{ invoiceId: invoice.id, amount: 10_000 }]));
    const mistake = await insertPayment(db, companyId, payment(40_000, [{ invoiceId: invoice.id, amount: 40_000 }]));
    expect(await balance()).toBe(50_000);
    await removePayment(db, companyId, mistake.id);
    expect(await balance()).toBe(90_000);
    expect((await listAllocations(db, companyId, invoice.id)).map((a) => a.paymentId)).toEqual([kept.id]);
    expect(await countRows(db, 'payments')).toBe(1);
    await expectAppError(removePayment(db, companyId, mistake.id), 'not_found');
  });

  it('an exact full payment brings the balance to 0 and the invoice leaves the open list', async () => {
    const { db, companyId, invoice, payment, balance, expectNothingWritten } = await setup();
    await insertPayment(db, companyId, payment(TOTAL, [{ invoiceId: invoice.id, amount: TOTAL }]));
    expect(await balance()).toBe(0);
    expect(await listInvoices(db, companyId, { asOf: '2025-03-01', open: true })).toEqual([]);
    const [customer] = await listCustomers(db, companyId);
    expect(customer).toMatchObject({ openInvoices: 0, balance: 0 });
    await expectNothingWritten(
      () => insertPayment(db, companyId, payment(1, [{ invoiceId: invoice.id, amount: 1 }])),
      'over_allocation',
      /F1/,
    );
  });

  it('two concurrent payments of 60% each: exactly one succeeds, the other is over_allocation', async () => {
    const { db, companyId, customer, payment } = await setup();
    // Several rounds, each on its own invoice, to give the race more than one chance to show.
    for (let round = 1; round <= 5; round++) {
      const invoice = await createInvoice(db, companyId, customer.id, invoiceInput(`R${round}`, { total: TOTAL }));
      const share = TOTAL * 0.6;
      // On PostgreSQL, open a second pool connection first so that both payments really run side by side.
      await Promise.all([rawQuery(db, 'select 1'), rawQuery(db, 'select 1')]);
      const outcomes = await Promise.allSettled([
        insertPayment(db, companyId, payment(share, [{ invoiceId: invoice.id, amount: share }], { reference: 'a' })),
        insertPayment(db, companyId, payment(share, [{ invoiceId: invoice.id, amount: share }], { reference: 'b' })),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      await expectAppError(Promise.reject(rejected?.reason), 'over_allocation', new RegExp(`R${round}`));
      expect((await reload(db, companyId, invoice)).allocated).toBe(share);
      expect(await listAllocations(db, companyId, invoice.id)).toHaveLength(1);
      expect(await countRows(db, 'payments')).toBe(round);
    }
  });
});

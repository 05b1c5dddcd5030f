import { describe, expect, it } from 'vitest';
import { createCustomer, getCustomer, getCustomerByCode, listCustomers } from '../../src/storage/customers.ts';
import {
  attachInvoicePdf,
  createInvoice,
  getInvoiceByNumber,
  getInvoicePdf,
  listInvoices,
  setDispute,
} from '../../src/storage/invoices.ts';
import { removePayment, listAllocations, insertPayment } from '../../src/storage/allocations.ts';
import { getPaymentSchedule, setPaymentSchedule } from '../../src/storage/quotes.ts';
import type { Db } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { countRows, customerInput, expectAppError, invoiceInput, reload, seedLedger, useStore } from './helpers.ts';

describe.each(dialects)('tenant isolation on %s', (dialect) => {
  const store = useStore(dialect);

  /** Two companies, each with a customer C1 and an invoice F1 (same code, same number), each partly paid. */
  async function twoCompanies() {
    const { db } = store();
    const a = await seedLedger(db, { legalName: 'Société A', customerName: 'Client de A', total: 100_000 });
    const b = await seedLedger(db, { legalName: 'Société B', customerName: 'Client de B', total: 200_000 });
    const pay = (db: Db, side: typeof a, amount: number, reference: string) =>
      insertPayment(db, side.company.id, {
        customerId: side.customer.id,
        date: '2025-02-10',
        currency: 'EUR',
        amount,
        method: 'transfer',
        reference,
        allocations: [{ invoiceId: side.invoice.id, amount }],
      });
    const paymentA = await pay(db, a, 10_000, 'pour A');
    const paymentB = await pay(db, b, 20_000, 'pour B');
    return { db, a, b, paymentA, paymentB };
  }

  it('customer codes and invoice numbers are unique per company, not globally', async () => {
    const { db, a, b } = await twoCompanies();
    expect(a.customer.code).toBe(b.customer.code);
    expect(a.invoice.number).toBe(b.invoice.number);
    expect(a.invoice.id).not.toBe(b.invoice.id);
    await expectAppError(createCustomer(db, a.company.id, customerInput('C1')), 'conflict');
    await expectAppError(createInvoice(db, b.company.id, b.customer.id, invoiceInput('F1')), 'conflict');
    await createCustomer(db, b.company.id, customerInput('C2'));
    await createCustomer(db, a.company.id, customerInput('C2'));
    expect(await countRows(db, 'customers')).toBe(4);
  });

  it('getCustomerByCode, getCustomer and getInvoiceByNumber only see the named company', async () => {
    const { db, a, b } = await twoCompanies();
    expect(await getCustomerByCode(db, a.company.id, 'C1')).toEqual(a.customer);
    expect(await getCustomerByCode(db, b.company.id, 'C1')).toEqual(b.customer);
    await expectAppError(getCustomer(db, a.company.id, b.customer.id), 'not_found');
    expect(await getInvoiceByNumber(db, a.company.id, 'F1')).toMatchObject({
      id: a.invoice.id,
      total: 100_000,
      allocated: 10_000,
    });
    expect(await getInvoiceByNumber(db, b.company.id, 'F1')).toMatchObject({
      id: b.invoice.id,
      total: 200_000,
      allocated: 20_000,
    });
  });

  it('listInvoices and listCustomers only list the named company', async () => {
    const { db, a, b } = await twoCompanies();
    for (const filter of [{}, { open: true }, { customerCode: 'C1' }]) {
      const invoices = await listInvoices(db, a.company.id, { asOf: '2025-03-01', ...filter });
      expect(invoices.map((i) => [i.id, i.customerName, i.balance])).toEqual([[a.invoice.id, 'Client de A', 90_000]]);
    }
    const customers = await listCustomers(db, a.company.id);
    expect(customers.map((c) => [c.id, c.openInvoices, c.balance])).toEqual([[a.customer.id, 1, 90_000]]);
    expect((await listCustomers(db, b.company.id)).map((c) => [c.id, c.balance])).toEqual([[b.customer.id, 180_000]]);
    expect(await listCustomers(db, a.company.id, { search: 'de b' })).toEqual([]);
  });

  it("listAllocations only lists the named company's allocations", async () => {
    const { db, a, b, paymentA } = await twoCompanies();
    const ofA = await listAllocations(db, a.company.id, a.invoice.id);
    expect(ofA.map((x) => [x.paymentId, x.amount, x.label])).toEqual([[paymentA.id, 10_000, 'transfer pour A']]);
    expect(await listAllocations(db, a.company.id, b.invoice.id)).toEqual([]);
  });

  it("a payment of company B pointing at A's invoice is not_found and leaves A's invoice untouched", async () => {
    const { db, a, b } = await twoCompanies();
    const paymentsBefore = await countRows(db, 'payments');
    await expectAppError(
      insertPayment(db, b.company.id, {
        customerId: b.customer.id,
        date: '2025-02-11',
        currency: 'EUR',
        amount: 5_000,
        method: 'transfer',
        reference: null,
        allocations: [{ invoiceId: a.invoice.id, amount: 5_000 }],
      }),
      'not_found',
    );
    expect((await reload(db, a.company.id, a.invoice)).allocated).toBe(10_000);
    expect((await reload(db, b.company.id, b.invoice)).allocated).toBe(20_000);
    expect(await countRows(db, 'payments')).toBe(paymentsBefore);
    expect(await listAllocations(db, a.company.id, a.invoice.id)).toHaveLength(1);
  });

  it('writes through one company never reach the other', async () => {
    const { db, a, b, paymentB } = await twoCompanies();
    await setDispute(db, a.company.id, 'F1', 'Contestée');
    expect((await reload(db, b.company.id, b.invoice)).disputed).toBe(false);

    await expectAppError(removePayment(db, a.company.id, paymentB.id), 'not_found');
    expect((await reload(db, b.company.id, b.invoice)).allocated).toBe(20_000);

    await attachInvoicePdf(db, a.company.id, 'F1', 'A.pdf', Buffer.from('%PDF-1.7 A'));
    expect(await getInvoicePdf(db, b.company.id, b.invoice.id)).toBeNull();
    expect(await getInvoicePdf(db, b.company.id, a.invoice.id)).toBeNull();

    await setPaymentSchedule(db, a.company.id, a.invoice.id, [{ seq: 1, dueDate: '2025-04-01', amount: 90_000 }]);
    expect(await getPaymentSchedule(db, b.company.id, b.invoice.id)).toBeNull();
    expect(await getPaymentSchedule(db, b.company.id, a.invoice.id)).toBeNull();
    await expectAppError(
      setPaymentSchedule(db, b.company.id, a.invoice.id, [{ seq: 1, dueDate: '2025-04-01', amount: 90_000 }]),
      'not_found',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import {
  attachInvoicePdf,
  cancelInvoice,
  createInvoice,
  getInvoiceByNumber,
  getInvoicePdf,
  listInvoices,
  setDispute,
  setPromiseToPay,
} from '../../src/storage/invoices.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import type { Customer } from '../../src/domain/ledger.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { ISO_DATE, countRows, customerInput, expectAppError, invoiceInput, useStore } from './helpers.ts';

describe.each(dialects)('invoices on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const { id: companyId } = await createCompany(db, { legalName: 'Société A' });
    const c1 = await createCustomer(db, companyId, customerInput('C1', { name: 'Alpha' }));
    const c2 = await createCustomer(db, companyId, customerInput('C2', { name: 'Beta' }));
    return { db, companyId, c1, c2 };
  }

  function pay(db: Db, companyId: string, customer: Customer, invoiceId: string, amount: number) {
    return insertPayment(db, companyId, {
      customerId: customer.id,
      date: '2025-02-15',
      currency: 'EUR',
      amount,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId, amount }],
    });
  }

  it('createInvoice round-trips, with dates as YYYY-MM-DD strings and money as numbers', async () => {
    const { db, companyId, c1 } = await setup();
    const input = invoiceInput('F-2025-001', {
      issueDate: '2025-03-05',
      dueDate: '2025-04-04',
      currency: 'EUR',
      totalExclTax: 100_050,
      total: 120_060,
      title: 'Travaux de mars',
      salesRep: 'alice',
      promiseToPayDate: '2025-04-20',
    });
    const created = await createInvoice(db, companyId, c1.id, input);
    expect(created).toMatchObject({
      ...input,
      customerId: c1.id,
      allocated: 0,
      status: 'issued',
      disputed: false,
      disputeReason: null,
    });

    const stored = await getInvoiceByNumber(db, companyId, 'F-2025-001');
    expect(stored).toEqual(created);
    for (const date of [stored.issueDate, stored.dueDate, stored.promiseToPayDate]) {
      expect(typeof date).toBe('string');
      expect(date).toMatch(ISO_DATE);
    }
    for (const amount of [stored.total, stored.totalExclTax, stored.allocated]) expect(typeof amount).toBe('number');

    const [listed] = await listInvoices(db, companyId, { asOf: '2025-04-01' });
    expect(listed).toMatchObject({ issueDate: '2025-03-05', dueDate: '2025-04-04', total: 120_060, balance: 120_060 });
    expect(typeof listed?.total).toBe('number');
    expect(typeof listed?.balance).toBe('number');
    expect(typeof listed?.issueDate).toBe('string');
  });

  it('keeps amounts beyond 32 bits exact', async () => {
    const { db, companyId, c1 } = await setup();
    await createInvoice(db, companyId, c1.id, invoiceInput('BIG', { total: 9_876_543_210_12, totalExclTax: null }));
    const stored = await getInvoiceByNumber(db, companyId, 'BIG');
    expect(stored.total).toBe(9_876_543_210_12);
    expect(stored.totalExclTax).toBeNull();
  });

  it('refuses a due date before the issue date and writes nothing', async () => {
    const { db, companyId, c1 } = await setup();
    await expectAppError(
      createInvoice(db, companyId, c1.id, invoiceInput('F1', { issueDate: '2025-03-10', dueDate: '2025-03-09' })),
      'invalid_input',
      /F1/,
    );
    expect(await countRows(db, 'invoices')).toBe(0);
  });

  it('refuses a duplicate number as a conflict', async () => {
    const { db, companyId, c1, c2 } = await setup();
    await createInvoice(db, companyId, c1.id, invoiceInput('F1'));
    await expectAppError(createInvoice(db, companyId, c2.id, invoiceInput('F1', { total: 1 })), 'conflict', /F1/);
    expect(await countRows(db, 'invoices')).toBe(1);
    await expectAppError(getInvoiceByNumber(db, companyId, 'F2'), 'not_found');
  });

  it('two concurrent creations of the same number: one succeeds, the other is a conflict', async () => {
    const { db, companyId, c1 } = await setup();
    for (let round = 1; round <= 5; round++) {
      // On PostgreSQL, open a second pool connection first so that both creations really run side by side.
      await Promise.all([rawQuery(db, 'select 1'), rawQuery(db, 'select 1')]);
      const outcomes = await Promise.allSettled([
        createInvoice(db, companyId, c1.id, invoiceInput(`F${round}`)),
        createInvoice(db, companyId, c1.id, invoiceInput(`F${round}`)),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      await expectAppError(Promise.reject(rejected?.reason), 'conflict', new RegExp(`F${round}`));
      expect(await countRows(db, 'invoices')).toBe(round);
    }
  });

  it('listInvoices filters open invoices and by customer code, with balance and days overdue', async () => {
    const { db, companyId, c1, c2 } = await setup();
    const f1 = await createInvoice(db, companyId, c1.id, invoiceInput('F1', { dueDate: '2025-01-31', total: 100_000 }));
    const f2 = await createInvoice(db, companyId, c1.id, invoiceInput('F2', { dueDate: '2025-02-28', total: 50_000 }));
    await createInvoice(db, companyId, c1.id, invoiceInput('F3', { dueDate: '2025-02-28', total: 70_000 }));
    await createInvoice(db, companyId, c2.id, invoiceInput('F4', { dueDate: '2025-04-30', total: 20_000 }));
    await pay(db, companyId, c1, f1.id, 40_000);
    await pay(db, companyId, c1, f2.id, 50_000);
    await cancelInvoice(db, companyId, 'F3');
    const asOf = '2025-03-02';

    const all = await listInvoices(db, companyId, { asOf });
    expect(all.map((i) => [i.number, i.customerCode, i.balance, i.daysOverdue])).toEqual([
      ['F1', 'C1', 60_000, 30],
      ['F2', 'C1', 0, 0],
      ['F3', 'C1', 0, 0],
      ['F4', 'C2', 20_000, 0],
    ]);
    expect(all[3]?.customerName).toBe('Beta');

    const open = await listInvoices(db, companyId, { asOf, open: true });
    expect(open.map((i) => i.number)).toEqual(['F1', 'F4']);
    const ofC1 = await listInvoices(db, companyId, { asOf, customerCode: 'C1' });
    expect(ofC1.map((i) => i.number)).toEqual(['F1', 'F2', 'F3']);
    const openOfC1 = await listInvoices(db, companyId, { asOf, customerCode: 'C1', open: true });
    expect(openOfC1.map((i) => [i.number, i.balance])).toEqual([['F1', 60_000]]);
  });

  it('daysOverdue is 0 on the due date and before it', async () => {
    const { db, companyId, c1 } = await setup();
    await createInvoice(db, companyId, c1.id, invoiceInput('F1', { dueDate: '2025-03-15' }));
    const days = async (asOf: string) => (await listInvoices(db, companyId, { asOf }))[0]?.daysOverdue;
    expect(await days('2025-03-01')).toBe(0);
    expect(await days('2025-03-15')).toBe(0);
    expect(await days('2025-03-16')).toBe(1);
  });

  it('setDispute and setPromiseToPay set and clear their fields', async () => {
    const { db, companyId, c1 } = await setup();
    await createInvoice(db, companyId, c1.id, invoiceInput('F1'));
    expect(await setDispute(db, companyId, 'F1', 'Livraison incomplète')).toMatchObject({
      disputed: true,
      disputeReason: 'Livraison incomplète',
    });
    expect(await getInvoiceByNumber(db, companyId, 'F1')).toMatchObject({
      disputed: true,
      disputeReason: 'Livraison incomplète',
    });
    expect(await setDispute(db, companyId, 'F1', null)).toMatchObject({ disputed: false, disputeReason: null });

    expect((await setPromiseToPay(db, companyId, 'F1', '2025-05-10')).promiseToPayDate).toBe('2025-05-10');
    expect((await getInvoiceByNumber(db, companyId, 'F1')).promiseToPayDate).toBe('2025-05-10');
    expect((await setPromiseToPay(db, companyId, 'F1', null)).promiseToPayDate).toBeNull();

    await expectAppError(setDispute(db, companyId, 'NOPE', 'x'), 'not_found');
    await expectAppError(setPromiseToPay(db, companyId, 'NOPE', '2025-05-10'), 'not_found');
  });

  it('cancelInvoice cancels an unpaid invoice and refuses one with allocations', async () => {
    const { db, companyId, c1 } = await setup();
    await createInvoice(db, companyId, c1.id, invoiceInput('F1'));
    const f2 = await createInvoice(db, companyId, c1.id, invoiceInput('F2', { total: 10_000 }));
    expect((await cancelInvoice(db, companyId, 'F1')).status).toBe('cancelled');
    const [f1] = await listInvoices(db, companyId, { asOf: '2025-03-01', customerCode: 'C1' });
    expect(f1).toMatchObject({ number: 'F1', status: 'cancelled', balance: 0 });

    await pay(db, companyId, c1, f2.id, 1_000);
    await expectAppError(cancelInvoice(db, companyId, 'F2'), 'conflict', /F2/);
    expect(await getInvoiceByNumber(db, companyId, 'F2')).toMatchObject({ status: 'issued', allocated: 1_000 });
    await expectAppError(cancelInvoice(db, companyId, 'NOPE'), 'not_found');
  });

  it('attachInvoicePdf and getInvoicePdf round-trip the bytes; a new file replaces the old one', async () => {
    const { db, companyId, c1 } = await setup();
    const invoice = await createInvoice(db, companyId, c1.id, invoiceInput('F1'));
    expect(await getInvoicePdf(db, companyId, invoice.id)).toBeNull();

    const bytes = new Uint8Array([...Buffer.from('%PDF-1.7\n', 'latin1'), 0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x0a]);
    await attachInvoicePdf(db, companyId, 'F1', 'F1.pdf', bytes);
    const first = await getInvoicePdf(db, companyId, invoice.id);
    expect(first?.filename).toBe('F1.pdf');
    expect(first?.content).toBeInstanceOf(Uint8Array);
    expect(Array.from(first?.content ?? [])).toEqual(Array.from(bytes));

    const replacement = Buffer.from('%PDF-1.4\nversion 2\n%%EOF', 'latin1');
    await attachInvoicePdf(db, companyId, 'F1', 'facture-F1.pdf', replacement);
    const second = await getInvoicePdf(db, companyId, invoice.id);
    expect(second?.filename).toBe('facture-F1.pdf');
    expect(Buffer.from(second?.content ?? []).equals(replacement)).toBe(true);
    expect(await countRows(db, 'invoice_files')).toBe(1);
  });

  it('attachInvoicePdf refuses a file that is not a PDF, and an unknown invoice', async () => {
    const { db, companyId, c1 } = await setup();
    const invoice = await createInvoice(db, companyId, c1.id, invoiceInput('F1'));
    await expectAppError(
      attachInvoicePdf(db, companyId, 'F1', 'F1.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d])),
      'invalid_input',
      /F1\.png/,
    );
    await expectAppError(attachInvoicePdf(db, companyId, 'F1', 'empty.pdf', new Uint8Array()), 'invalid_input');
    expect(await getInvoicePdf(db, companyId, invoice.id)).toBeNull();
    await expectAppError(attachInvoicePdf(db, companyId, 'NOPE', 'x.pdf', Buffer.from('%PDF-1.7')), 'not_found');
  });
});

import { describe, expect, it } from 'vitest';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';

// The plan reads each invoice's payments inside its main query (SQL written per engine): both must give the
// interest that follows the balance down, payment by payment.
describe.each(dialects)('plan charges after partial payments on %s', (dialect) => {
  const store = useStore(dialect);

  it('stops interest on each paid amount from the day after its payment', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Relance SA' });
    const customer = await createCustomer(db, company.id, customerInput('PART'));
    const paid = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F-PART', { issueDate: '2022-01-01', dueDate: '2022-01-01', total: 18_000 }),
    );
    await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F-NONE', { issueDate: '2022-01-01', dueDate: '2022-01-01', total: 18_000 }),
    );
    for (const [date, amount] of [
      ['2022-02-10', 4_000],
      ['2022-03-01', 2_000],
    ] as const) {
      await insertPayment(db, company.id, {
        customerId: customer.id,
        date,
        currency: 'EUR',
        amount,
        method: 'transfer',
        reference: null,
        allocations: [{ invoiceId: paid.id, amount }],
      });
    }
    const plan = await planDunning(db, company.id, { date: '2022-03-28' });

    // French B2B law in 2022H1: ECB rate 0 % + 10 points, simple interest on actual days / 365, from 2 January.
    const cents = (numerator: number) => (Math.round(numerator / 365 / 10) / 100).toFixed(2);
    // 18,000 for 2 Jan–10 Feb (40 days), 14,000 for 11 Feb–1 Mar (19 days), 12,000 for 2–28 Mar (27 days).
    expect(plan.charges.get('F-PART')).toEqual({
      interest: cents(18_000 * 40 + 14_000 * 19 + 12_000 * 27),
      indemnity: '40.00',
      currency: 'EUR',
      notes: [],
      indemnityCurrency: 'EUR',
      law: 'FR',
      rate: '10.00',
      chargesClaimed: false,
    });
    expect(plan.charges.get('F-NONE')).toEqual({
      interest: cents(18_000 * 86),
      indemnity: '40.00',
      currency: 'EUR',
      notes: [],
      indemnityCurrency: 'EUR',
      law: 'FR',
      rate: '10.00',
      chargesClaimed: false,
    });
    expect(plan.items.find((i) => i.invoice === 'F-PART')?.balance).toBe('120.00');
  });
});

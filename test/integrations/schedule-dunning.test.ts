import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/domain/dunning/engine.ts';
import { loadDunningInputs } from '../../src/dunning/load-inputs.ts';
import { setInvoiceSchedule } from '../../src/integrations/follow-ups/schedule-due.ts';
import { recordPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, invoiceInput, useStore } from '../repositories/helpers.ts';

describe.each(dialects)('dunning of an invoice on a payment schedule, on %s', (dialect) => {
  const store = useStore(dialect);

  it('counts lateness from the first unpaid instalment, and moves on as instalments are paid', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const customer = await createCustomer(db, company.id, customerInput('MARTIN'));
    const scheduled = await createInvoice(db, company.id, customer.id, invoiceInput('F-1', { total: 90_000, totalExclTax: null,
      issueDate: '2026-01-01', dueDate: '2026-01-31' }));
    await createInvoice(db, company.id, customer.id, invoiceInput('F-2', { total: 10_000, totalExclTax: null,
      issueDate: '2026-01-01', dueDate: '2026-01-31' }));
    await rawQuery(db, `update invoices set next_action_date = '2026-12-31'`);
    await setInvoiceSchedule(db, company.id, 'F-1', [{ seq: 1, dueDate: '2026-01-31', amount: 30_000 },
      { seq: 2, dueDate: '2026-03-05', amount: 30_000 }, { seq: 3, dueDate: '2026-04-05', amount: 30_000 }]);
    // Setting a schedule sends the invoice back to the engine.
    const [touched] = await rawQuery<{ next_action_date: string | null }>(db, `select next_action_date from invoices where number = 'F-1'`);
    expect(touched?.next_action_date).toBeNull();

    const dueDates = async () => new Map((await loadDunningInputs(db, company.id)).map((i) => [i.invoice.number, i.invoice.dueDate]));
    expect(await dueDates()).toEqual(new Map([['F-1', '2026-01-31'], ['F-2', '2026-01-31']]));
    await recordPayment(db, company.id, { customerId: customer.id, date: '2026-01-31', currency: 'EUR', amount: 30_000, method: 'transfer',
      reference: null, allocations: [{ invoiceId: scheduled.id, amount: 30_000 }] });
    expect(await dueDates()).toEqual(new Map([['F-1', '2026-03-05'], ['F-2', '2026-01-31']]));

    // On 20 February the invoice without schedule is 20 days late and reminded; the scheduled one's next instalment is
    // 13 days away: nothing yet. On 1 March it is inside the prérelance window (5 days before) of that instalment.
    const on = async (date: string) => buildPlan(await loadDunningInputs(db, company.id), date).items
      .map((i) => [i.invoice, i.action, i.daysOverdue, i.label]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(await on('2026-02-20')).toEqual([['F-2', 'send', 20, 'Prérelance']]);
    expect(await on('2026-03-01')).toEqual([['F-1', 'send', -4, 'Prérelance'], ['F-2', 'send', 29, 'Prérelance']]);
    await expectAppError(setInvoiceSchedule(db, company.id, 'F-2', []), 'invalid_input', /at least one instalment/);
  });
});

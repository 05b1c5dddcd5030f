import { describe, expect, it } from 'vitest';
import { unconfirmedAnnouncements } from '../../src/storage/collector-inbox.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { insertPaymentAnnouncement } from '../../src/storage/portal-answers.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from './helpers.ts';

describe.each(dialects)('the collector inbox’s payment announcements on %s', (dialect) => {
  const store = useStore(dialect);

  it('lists an announcement while one of its invoices is still announced and open, naming those invoices', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Alpha' });
    const customer = await createCustomer(db, company.id, customerInput('C1'));
    const a = await createInvoice(db, company.id, customer.id, invoiceInput('F-A'));
    const b = await createInvoice(db, company.id, customer.id, invoiceInput('F-B'));
    const announce = (invoiceIds: string[]) =>
      insertPaymentAnnouncement(db, company.id, {
        customerId: customer.id,
        invoiceIds,
        paidOn: '2026-01-10',
        amount: 100,
        currency: 'EUR',
        means: 'transfer',
        today: '2026-01-10',
        createdBy: 'portal',
      });
    const id = await announce([a.id, b.id]);
    const scope = { companyId: company.id, salesRep: null, limit: 10 };
    const listed = await unconfirmedAnnouncements(db, scope);
    expect(listed.count).toBe(1);
    expect(listed.rows.map((r) => ({ id: r.id, invoices: [...r.invoiceNumbers].sort() }))).toEqual([
      { id, invoices: ['F-A', 'F-B'] },
    ]);
    // Another représentant's collector does not see this customer's announcement.
    expect((await unconfirmedAnnouncements(db, { ...scope, salesRep: 'someone else' })).count).toBe(0);
  });
});

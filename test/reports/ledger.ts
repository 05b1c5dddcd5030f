import { insertCreditNote, insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { cancelInvoice, createInvoice } from '../../src/storage/invoices.ts';
import type { Db } from '../../src/storage/database.ts';
import { recordCommunication } from '../../src/storage/dunning.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';

/**
 * A small ledger whose aged balance is computed by hand in the tests (amounts in cents). As of
 * 2025-06-30 the due dates sit on the boundary days: F1 0, F2 30, F3 31, F4 60, F5 61, G1 90, G2 91
 * days overdue; as of 2025-07-31 F1 is 31, F2 61, F4 91 days overdue.
 */
export async function seedAgingLedger(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Martin' });
  const a = await createCustomer(db, company.id, customerInput('A', { name: 'Boulangerie Alpha', salesRep: 'Claire' }));
  const b = await createCustomer(db, company.id, customerInput('B', { name: 'Brasserie Beta', salesRep: 'Julien' }));
  const c = await createCustomer(
    db,
    company.id,
    customerInput('C', { name: '=HYPERLINK("http://evil")', salesRep: 'Claire' }),
  );
  const inv = async (
    customerId: string,
    number: string,
    dueDate: string,
    total: number,
    extra: { issueDate?: string; currency?: string; salesRep?: string } = {},
  ) =>
    createInvoice(db, company.id, customerId, invoiceInput(number, { dueDate, total, totalExclTax: null, ...extra }));
  const pay = (customerId: string, invoiceId: string, date: string, amount: number, currency = 'EUR') =>
    insertPayment(db, company.id, {
      customerId,
      date,
      currency,
      amount,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId, amount }],
    });
  const credit = (customerId: string, invoiceId: string, number: string, date: string, total: number) =>
    insertCreditNote(db, company.id, {
      number,
      customerId,
      date,
      currency: 'EUR',
      total,
      reason: null,
      allocations: [{ invoiceId, amount: total }],
    });

  await inv(a.id, 'F1', '2025-06-30', 100_000, { salesRep: 'Claire' });
  const f2 = await inv(a.id, 'F2', '2025-05-31', 200_000, { salesRep: 'Claire' });
  await pay(a.id, f2.id, '2025-06-10', 50_000);
  const f3 = await inv(a.id, 'F3', '2025-05-30', 300_000, { salesRep: 'Claire' });
  await credit(a.id, f3.id, 'AV1', '2025-06-15', 100_000);
  await inv(a.id, 'F4', '2025-05-01', 400_000, { salesRep: 'Claire' });
  const f5 = await inv(a.id, 'F5', '2025-04-30', 500_000, { salesRep: 'Julien' });
  await pay(a.id, f5.id, '2025-07-05', 500_000); // after the first as-of date: still owed then

  const g1 = await inv(b.id, 'G1', '2025-04-01', 600_000, { salesRep: 'Julien' });
  await pay(b.id, g1.id, '2025-06-30', 100_000); // on the as-of date: counts
  await pay(b.id, g1.id, '2025-07-01', 200_000); // the day after: ignored on 2025-06-30
  const g2 = await inv(b.id, 'G2', '2025-03-31', 700_000, { salesRep: 'Julien' });
  await credit(b.id, g2.id, 'AV2', '2025-07-10', 100_000);
  await inv(b.id, 'G3', '2025-07-31', 80_000, { issueDate: '2025-07-01', salesRep: 'Julien' }); // not issued yet on 2025-06-30
  const g4 = await inv(b.id, 'G4', '2025-03-01', 90_000, { salesRep: 'Julien' });
  await pay(b.id, g4.id, '2025-03-15', 90_000);
  await inv(b.id, 'G5', '2025-03-01', 95_000, { salesRep: 'Julien' });
  await cancelInvoice(db, company.id, 'G5');

  await inv(c.id, 'H1', '2025-06-20', 50_000, { currency: 'USD', salesRep: 'Claire' });
  return { company, a, b, c };
}

/** Reminders on the aging ledger: F2 levels 1 and 2, F5 level 1 (paid 10 days later), G1 level 1, G2 level 1 on 07-20. */
export async function seedReminders(db: Db, companyId: string): Promise<void> {
  const ids = new Map(
    (
      await db
        .selectFrom('invoices')
        .select(['number', 'id', 'customer_id'])
        .where('company_id', '=', companyId)
        .execute()
    ).map((r) => [r.number, r]),
  );
  const send = (number: string, level: number, date: string) => {
    const invoice = ids.get(number)!;
    return recordCommunication(db, companyId, {
      runId: null,
      customerId: invoice.customer_id,
      currency: 'EUR',
      level,
      label: level === 1 ? '1ère relance' : '2ème relance',
      date,
      channels: ['email'],
      invoices: [{ invoiceId: invoice.id, level }],
      state: 'sent', // a reminder that left
    });
  };
  await send('F2', 1, '2025-06-05');
  await send('F2', 2, '2025-06-20');
  await send('F5', 1, '2025-06-25');
  await send('G1', 1, '2025-06-10');
  await send('G2', 1, '2025-07-20');
}

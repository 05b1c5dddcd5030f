import { describe, expect, it } from 'vitest';
import { loadMessageContext, loadMessageContexts } from '../../src/communications/load-context.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { recordCommunication, writePolicy } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, invoiceInput, seedLedger, useStore } from '../repositories/helpers.ts';

const NBSP = '\u00a0';

const POLICY = {
  name: 'default',
  minBalance: '0.00',
  minDaysBetween: 0,
  charges: { enabled: true },
  steps: [
    { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email'] },
    { label: '2ème relance', delayDays: 10, from: 'previousStep', channels: ['email'], charges: true },
    {
      label: 'Mise en demeure',
      delayDays: 10,
      from: 'previousStep',
      channels: ['letter'],
      formalNotice: true,
      charges: true,
    },
  ],
};

describe.each(dialects)('message contexts on %s', (dialect) => {
  const store = useStore(dialect);

  async function seed() {
    const { db } = store();
    const { company, customer, invoice } = await seedLedger(db, {
      legalName: 'Atelier Dupont SARL',
      customerName: 'Crêperie Éloïse & Cie',
    });
    await updateCompany(db, company.id, {
      iban: 'FR7630006000011234567890189',
      address: { city: 'Paris', postcode: '75002', line1: '12 rue de la Paix' },
      paymentLinkPattern: 'https://pay.example.fr/p?ref={{ reference }}&amount={{amount}}',
    });
    await writePolicy(db, company.id, { name: 'default', definition: POLICY });
    const second = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F2', { issueDate: '2025-02-01', dueDate: '2025-03-03', total: 123_456, totalExclTax: null }),
    );
    await insertPayment(db, company.id, {
      customerId: customer.id,
      date: '2025-02-15',
      currency: 'EUR',
      amount: 20_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoice.id, amount: 20_000 }],
    });
    await addContact(db, company.id, customer.id, {
      name: 'Paul Secondaire',
      email: 'paul@example.fr',
      phone: null,
      role: null,
      isPrimary: false,
    });
    await addContact(db, company.id, customer.id, {
      name: 'Zoé Primaire',
      email: 'zoe@example.fr',
      phone: '01 02',
      role: 'billing',
      isPrimary: true,
    });
    await addContact(db, company.id, customer.id, {
      name: 'Sans e-mail',
      email: null,
      phone: '03',
      role: null,
      isPrimary: false,
    });
    return { db, company, customer, invoice, second };
  }

  it("gives amounts, dates, days overdue, recipients and the payment link in the customer's language", async () => {
    const { db, company, customer, invoice, second } = await seed();
    const context = await loadMessageContext(db, company.id, {
      customerId: customer.id,
      invoiceIds: [second.id, invoice.id],
      level: 1,
      date: '2025-03-15',
    });
    expect(context.language).toBe('fr');
    expect(context.dateText).toBe('15/03/2025');
    expect(context.customer.name).toBe('Crêperie Éloïse & Cie');
    expect(context.level).toEqual({ number: 1, label: '1ère relance', formalNotice: false, charges: false });
    // Sorted by due date: F1 (31/01) before F2 (03/03).
    expect(context.invoices.map((i) => [i.number, i.daysOverdue, i.balance.text, i.dueDateText])).toEqual([
      ['F1', 43, `1${NBSP}000,00${NBSP}€`, '31/01/2025'],
      ['F2', 12, `1${NBSP}234,56${NBSP}€`, '03/03/2025'],
    ]);
    expect(context.invoices[0]!.paid).toEqual({ cents: 20_000, text: `200,00${NBSP}€` });
    expect(context.totals.balance).toEqual({ cents: 223_456, text: `2${NBSP}234,56${NBSP}€` });
    // Level 1 claims no charges: the amount due is the balance, though each invoice shows what the law allows.
    expect(context.totals.due.cents).toBe(223_456);
    expect(context.invoices[0]!.charges?.indemnity?.cents).toBe(4_000);
    expect(context.references).toBe('F1, F2');
    expect(context.recipients).toEqual(['zoe@example.fr', 'paul@example.fr']);
    expect(context.contact).toEqual({ name: 'Zoé Primaire', email: 'zoe@example.fr', phone: '01 02' });
    expect(context.payment).toMatchObject({
      reference: 'F1 F2',
      link: 'https://pay.example.fr/p?ref=F1%20F2&amount=2234.56',
      deadline: null,
      deadlineText: null,
    });
    expect(context.company.address.block).toEqual(['12 rue de la Paix', '75002 Paris']);
    expect(context.customer.address.block).toEqual(['1 rue du Test', '75001 Paris']);
  });

  it('claims charges and sets the deadline of a formal notice from the company setting', async () => {
    const { db, company, customer, invoice } = await seed();
    await updateCompany(db, company.id, { formalNoticeDays: 15 });
    await recordCommunication(db, company.id, {
      runId: null,
      customerId: customer.id,
      currency: 'EUR',
      level: 1,
      label: '1ère relance',
      date: '2025-02-10',
      channels: ['email'],
      invoices: [{ invoiceId: invoice.id, level: 1 }],
      state: 'sent', // a reminder that left
    });
    const context = await loadMessageContext(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id],
      level: 3,
      date: '2025-04-01',
      language: 'en',
    });
    // An English letter names the step in English, whatever the policy's own (French) label.
    expect(context.level).toMatchObject({ label: 'Formal notice', formalNotice: true, charges: true });
    expect(context.payment).toMatchObject({ deadline: '2025-04-16', deadlineText: '16 April 2025', deadlineDays: 15 });
    expect(context.invoices[0]!.reminders).toEqual([{ level: 1, sentOn: '2025-02-10' }]);
    const interest = context.invoices[0]!.charges!.interest!.cents;
    expect(interest).toBeGreaterThan(0);
    expect(context.totals.indemnity.cents).toBe(4_000);
    expect(context.totals.due.cents).toBe(100_000 + interest + 4_000);
    expect(context.totals.indemnity.text).toBe('€40.00');
    expect(context.dateText).toBe('1 April 2025');
  });

  it('keeps the payment-link pattern and the formal-notice days, and refuses a link that is not an http(s) URL', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    expect(company).toMatchObject({ paymentLinkPattern: null, formalNoticeDays: 8 });
    const pattern = 'https://pay.example.fr/{{customer}}?ref={{ reference }}&eur={{ amount }}';
    expect(await updateCompany(db, company.id, { paymentLinkPattern: pattern, formalNoticeDays: 15 })).toMatchObject({
      paymentLinkPattern: pattern,
      formalNoticeDays: 15,
    });
    await expectAppError(
      updateCompany(db, company.id, { paymentLinkPattern: 'javascript:alert(1)//{{ reference }}' }),
      'invalid_input',
      /must be an http\(s\) URL/,
    );
    await expectAppError(
      updateCompany(db, company.id, { paymentLinkPattern: 'https://x.fr/{{ montant }}' }),
      'invalid_input',
    );
    await expectAppError(updateCompany(db, company.id, { formalNoticeDays: 0 }), 'invalid_input', /1 to 90/);
    expect(await updateCompany(db, company.id, { paymentLinkPattern: null })).toMatchObject({
      paymentLinkPattern: null,
      formalNoticeDays: 15,
    });
  });

  it("loads a batch in one go and keeps each request's own customer, level and language", async () => {
    const { db, company, customer, invoice, second } = await seed();
    const other = await createCustomer(
      db,
      company.id,
      customerInput('C2', {
        name: 'Smith Ltd',
        language: 'en',
        address: { line1: '1 High Street', line2: null, postcode: 'SW1A 1AA', city: 'London', country: 'GB' },
      }),
    );
    const foreign = await createInvoice(
      db,
      company.id,
      other.id,
      invoiceInput('G1', { total: 5_000, totalExclTax: null }),
    );
    const contexts = await loadMessageContexts(db, company.id, [
      { customerId: customer.id, invoiceIds: [invoice.id], level: 1, date: '2025-03-15' },
      { customerId: other.id, invoiceIds: [foreign.id], level: 2, date: '2025-03-15' },
      { customerId: customer.id, invoiceIds: [second.id], level: 0, date: '2025-02-01' },
    ]);
    expect(contexts.map((c) => [c.customer.code, c.language, c.level.label, c.references])).toEqual([
      ['C1', 'fr', '1ère relance', 'F1'],
      ['C2', 'en', '2nd reminder', 'G1'],
      ['C1', 'fr', 'Standard', 'F2'],
    ]);
    expect(contexts[1]!.customer.address.block).toEqual(['1 High Street', 'SW1A 1AA London', 'UNITED KINGDOM']);
    expect(contexts[1]!.recipients).toEqual([]);
    expect(contexts[1]!.contact).toBeNull();
    expect(contexts[2]!.invoices[0]!.daysOverdue).toBe(0);
    // Thanking for a payment: the settled invoice is not late any more and carries no charges.
    await insertPayment(db, company.id, {
      customerId: other.id,
      date: '2025-03-20',
      currency: 'EUR',
      amount: 5_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: foreign.id, amount: 5_000 }],
    });
    const thanks = await loadMessageContext(db, company.id, {
      customerId: other.id,
      invoiceIds: [foreign.id, foreign.id],
      level: 0,
      date: '2025-03-21',
    });
    expect(thanks.invoices.map((i) => [i.number, i.daysOverdue, i.balance.text, i.charges])).toEqual([
      ['G1', 0, '€0.00', null],
    ]);
    expect(thanks.totals.paid.text).toBe('€50.00');
    // A bounced address is left out of the recipients; the contact still greets by name.
    await rawQuery(
      db,
      `update contacts set email_bounced_at = '2025-03-01T10:00:00.000Z' where email = 'zoe@example.fr'`,
    );
    const after = await loadMessageContext(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id],
      level: 1,
      date: '2025-03-15',
    });
    expect(after.recipients).toEqual(['paul@example.fr']);
    expect(after.contact?.name).toBe('Zoé Primaire');
    await expectAppError(
      loadMessageContext(db, company.id, { customerId: 'not-an-id', invoiceIds: [], level: 1, date: '2025-03-15' }),
      'not_found',
      /No customer with id not-an-id/,
    );
    await expectAppError(
      loadMessageContext(db, company.id, { customerId: customer.id, invoiceIds: ['F1'], level: 1, date: '2025-03-15' }),
      'not_found',
      /No invoice with id F1/,
    );
    await expectAppError(
      loadMessageContext(db, company.id, {
        customerId: other.id,
        invoiceIds: [invoice.id],
        level: 1,
        date: '2025-03-15',
      }),
      'invalid_input',
      /F1 does not belong to customer C2/,
    );
  });
});

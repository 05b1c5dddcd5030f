import { describe, expect, it } from 'vitest';
import { pdfText } from '../documents/pdf-support.ts';
import { loadMessageContexts } from '../../src/communications/load-context.ts';
import { attachmentRefs, composeReminderEmails } from '../../src/mail/compose.ts';
import { resolveAttachments } from '../../src/mail/attachments.ts';
import { buildPlan } from '../../src/domain/dunning/engine.ts';
import { loadDunningInputs } from '../../src/dunning/load-inputs.ts';
import { setInvoiceSchedule } from '../../src/follow-ups/schedule-due.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
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
    const scheduled = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F-1', { total: 90_000, totalExclTax: null, issueDate: '2026-01-01', dueDate: '2026-01-31' }),
    );
    await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F-2', { total: 10_000, totalExclTax: null, issueDate: '2026-01-01', dueDate: '2026-01-31' }),
    );
    await rawQuery(db, `update invoices set next_action_date = '2026-12-31'`);
    await setInvoiceSchedule(db, company.id, 'F-1', [
      { seq: 1, dueDate: '2026-01-31', amount: 30_000 },
      { seq: 2, dueDate: '2026-03-05', amount: 30_000 },
      { seq: 3, dueDate: '2026-04-05', amount: 30_000 },
    ]);
    // Setting a schedule sends the invoice back to the engine.
    const [touched] = await rawQuery<{ next_action_date: string | null }>(
      db,
      `select next_action_date from invoices where number = 'F-1'`,
    );
    expect(touched?.next_action_date).toBeNull();

    const dueDates = async () =>
      new Map((await loadDunningInputs(db, company.id)).map((i) => [i.invoice.number, i.invoice.dueDate]));
    expect(await dueDates()).toEqual(
      new Map([
        ['F-1', '2026-01-31'],
        ['F-2', '2026-01-31'],
      ]),
    );
    await insertPayment(db, company.id, {
      customerId: customer.id,
      date: '2026-01-31',
      currency: 'EUR',
      amount: 30_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: scheduled.id, amount: 30_000 }],
    });
    expect(await dueDates()).toEqual(
      new Map([
        ['F-1', '2026-03-05'],
        ['F-2', '2026-01-31'],
      ]),
    );

    // On 20 February the invoice without schedule is 20 days late and reminded; the scheduled one's next instalment is
    // 13 days away: nothing yet. On 1 March it is inside the prérelance window (5 days before) of that instalment.
    const on = async (date: string) =>
      buildPlan(await loadDunningInputs(db, company.id), date)
        .items.map((i) => [i.invoice, i.action, i.daysOverdue, i.label])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    // F-2, already late, gets the first real reminder: a pre-reminder is only for what is not yet due.
    expect(await on('2026-02-20')).toEqual([['F-2', 'send', 20, '1ère relance']]);
    expect(await on('2026-03-01')).toEqual([
      ['F-1', 'send', -4, 'Prérelance'],
      ['F-2', 'send', 29, '1ère relance'],
    ]);
    await expectAppError(setInvoiceSchedule(db, company.id, 'F-2', []), 'invalid_input', /at least one instalment/);
  });
  it('shows each instalment with its own due date in the reminder letter and e-mail, and attaches the schedule', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const customer = await createCustomer(db, company.id, customerInput('MARTIN'));
    await addContact(db, company.id, customer.id, {
      name: 'Compta',
      email: 'compta@martin.fr',
      phone: null,
      role: null,
      isPrimary: true,
    });
    const invoice = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F-1', { total: 90_000, totalExclTax: null, issueDate: '2026-01-01', dueDate: '2026-01-31' }),
    );
    await setInvoiceSchedule(db, company.id, 'F-1', [
      { seq: 1, dueDate: '2026-01-31', amount: 30_000 },
      { seq: 2, dueDate: '2026-03-05', amount: 30_000 },
      { seq: 3, dueDate: '2026-04-05', amount: 30_000 },
    ]);
    await insertPayment(db, company.id, {
      customerId: customer.id,
      date: '2026-01-31',
      currency: 'EUR',
      amount: 30_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: invoice.id, amount: 30_000 }],
    });
    const request = { customerId: customer.id, invoiceIds: [invoice.id], level: 1, date: '2026-03-15' };

    const [context] = await loadMessageContexts(db, company.id, [request]);
    expect(
      context!.invoices[0]!.instalments?.map((i) => [i.seq, i.count, i.dueDate, i.amount.cents, i.unpaid.cents]),
    ).toEqual([
      [1, 3, '2026-01-31', 30_000, 0],
      [2, 3, '2026-03-05', 30_000, 30_000],
      [3, 3, '2026-04-05', 30_000, 30_000],
    ]);
    // Late from the first unpaid instalment, as the plan counts it, not from the invoice's own due date.
    expect(context!.invoices[0]!.daysOverdue).toBe(10);

    const [email] = await composeReminderEmails(db, company.id, [request]);
    expect(email!.input.text).toContain(
      'Échéancier de la facture F-1\u00a0:\n- Échéance 1/3, due le 31/01/2026 : 300,00\u00a0€ (payée)\n' +
        '- Échéance 2/3, due le 05/03/2026 : 300,00\u00a0€ (reste 300,00\u00a0€)',
    );
    expect(email!.input.text).toContain('L’échéancier est joint en PDF.');
    expect(email!.input.html).toContain(
      '<li>Échéance 3/3, due le 05/04/2026 : 300,00\u00a0€ (reste 300,00\u00a0€)</li>',
    );
    expect((email!.input.attachments as { kind: string }[]).map((a) => a.kind)).toEqual([
      'letter',
      'invoice',
      'schedule',
    ]);
    const resolved = await resolveAttachments(db, company.id, email!.input.attachments ?? []);
    // The letter lists the schedule under the invoices; the attached schedule is the échéancier PDF.
    const letter = await pdfText(resolved[0]!.content);
    expect(letter).toContain('Échéancier de la facture F-1');
    expect(letter).toMatch(/1\/3\s+31\/01\/2026\s+300,00 €\s+payée/);
    expect(letter).toMatch(/2\/3\s+05\/03\/2026\s+300,00 €\s+300,00 €/);
    expect(await pdfText(resolved[2]!.content)).toMatch(/Total\s+900,00 €\s+600,00 €/);

    // Without a schedule nothing is added; the schedule can also be left out of the attachments.
    const [plain] = await composeReminderEmails(db, company.id, [{ ...request, invoiceIds: [] }]);
    expect(plain!.input.text).not.toContain('Échéancier');
    const [context2] = await loadMessageContexts(db, company.id, [request]);
    expect(attachmentRefs(context2!, '', { schedule: false }).map((a) => a.kind)).toEqual(['letter', 'invoice']);
  });
});

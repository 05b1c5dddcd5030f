import { afterEach, describe, expect, it } from 'vitest';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { translator } from '../../src/i18n/index.ts';
import type { AppError } from '../../src/shared/errors.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { sendManualReminder } from '../../src/mail/manual.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { addContact } from '../../src/storage/customers.ts';
import { listReminders } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { dialects } from '../support/stores.ts';
import { expectAppError, invoiceInput, seedLedger, useStore } from '../repositories/helpers.ts';
import { parse } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

// Default policy: Prérelance 5 days before the due date, 1ère relance 10 days after it. F1 is due on 2025-01-31
// (20 days late on 2025-02-20), F3 on 2025-02-23 (inside its Prérelance window), F4 on 2025-03-31 (not yet due).
const DAY = '2025-02-20';

/** A refusal as a French reader gets it: from its catalogue key, in the reader's language. */
const french = (error: AppError) => translator('fr')(error.messageKey, error.params);

describe.each(dialects)('each invoice at its own level, nothing demanded that is not owed, on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const seeded = await seedLedger(db, { customerName: 'Boulangerie Éloïse' });
    const soon = await createInvoice(
      db,
      seeded.company.id,
      seeded.customer.id,
      invoiceInput('F3', { total: 30_000, totalExclTax: null, issueDate: '2025-01-24', dueDate: '2025-02-23' }),
    );
    const later = await createInvoice(
      db,
      seeded.company.id,
      seeded.customer.id,
      invoiceInput('F4', { total: 77_700, totalExclTax: null, issueDate: '2025-03-01', dueDate: '2025-03-31' }),
    );
    await addContact(db, seeded.company.id, seeded.customer.id, {
      name: 'Éloïse',
      email: 'eloise@boulangerie.fr',
      phone: null,
      role: null,
      isPrimary: true,
    });
    sink = await startSink();
    await saveMailSettings(db, seeded.company.id, { smtpUrl: sink.url, from: 'relances@societe-a.fr' });
    return { db, ...seeded, soon, later };
  }

  it('a run sends the 1ère relance and the Prérelance apart: the late invoice is demanded, the one coming due only announced', async () => {
    const { db, company } = await setup();
    const run = await runDunning(db, company.id, { date: DAY });
    expect(run.communications).toBe(2);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2 });
    expect((await listReminders(db, company.id)).map((r) => [r.invoice, r.level])).toEqual([
      ['F1', 2],
      ['F3', 1],
    ]);
    const mails = await Promise.all(sink!.received.map((r) => parse(r.raw)));
    const reminder = mails.find((m) => !/F3/.test(m.text ?? ''))!;
    const courtesy = mails.find((m) => /F3/.test(m.text ?? ''))!;
    // The 1ère relance lists and totals F1 alone (1 200,00 €), never F3 nor F4.
    expect(reminder.text).toContain('F1');
    expect(reminder.text).not.toMatch(/F3|F4/);
    expect(reminder.text).toMatch(/Total à régler : 1\s200,00\s€/);
    expect(courtesy.text).not.toMatch(/F1\b/);
  });

  it('a manual reminder demands the late invoices at their level; one not yet due is only shown "à échoir", outside the total, not recorded', async () => {
    const { db, company, customer, invoice, later } = await setup();
    const sent = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id, later.id],
      date: DAY,
    });
    expect(sent.level).toBe(2);
    const [message] = await listOutbox(db, company.id);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    expect((await listReminders(db, company.id)).map((r) => [r.invoice, r.level])).toEqual([['F1', 2]]);
    const [demanded, upcoming] = message!.text.split('Pour information, factures à échoir');
    expect(demanded).toMatch(/Total à régler : 1\s200,00\s€/);
    expect(demanded).not.toContain('F4');
    expect(upcoming).toMatch(/Facture F4 du 01\/03\/2025, à échéance le 31\/03\/2025 : 777,00\s€/);
    expect(message!.html).toContain('factures à échoir');
  });

  it('refuses, in French, a manual reminder that would demand nothing owed or mix two levels', async () => {
    const { db, company, customer, invoice, soon, later } = await setup();
    const none = await expectAppError(
      sendManualReminder(db, company.id, { customerId: customer.id, invoiceIds: [later.id], date: DAY }),
      'invalid_input',
    );
    expect(french(none)).toMatch(/^Aucune de ces factures n'est échue/);
    await sendManualReminder(db, company.id, { customerId: customer.id, invoiceIds: [invoice.id], date: DAY });
    // While that reminder waits in the outbox, its invoice cannot be reminded again.
    await expectAppError(
      sendManualReminder(db, company.id, { customerId: customer.id, invoiceIds: [invoice.id], date: '2025-03-20' }),
      'conflict',
      /A reminder of invoice F1 is still waiting to be sent/,
    );
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    const second = await createInvoice(
      db,
      company.id,
      customer.id,
      invoiceInput('F5', { total: 10_000, totalExclTax: null }),
    );
    const mixed = await expectAppError(
      sendManualReminder(db, company.id, {
        customerId: customer.id,
        invoiceIds: [invoice.id, second.id],
        date: '2025-03-20',
      }),
      'invalid_input',
    );
    expect(french(mixed)).toMatch(/niveaux de relance différents \(1ère relance : F5 ; 2ème relance : F1\)/);
    expect(translator('en')(mixed.messageKey, mixed.params)).toMatch(
      /^These invoices are at different reminder levels/,
    );
    // Only invoices coming due: a Prérelance, announced, not demanded.
    const courtesy = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [soon.id],
      date: DAY,
    });
    expect(courtesy.level).toBe(1);
  });

  it('renders #REF# and variables typed in the subject and message, and refuses an unknown variable in French before recording', async () => {
    const { db, company, customer, invoice } = await setup();
    const unknown = await expectAppError(
      sendManualReminder(db, company.id, {
        customerId: customer.id,
        invoiceIds: [invoice.id],
        date: DAY,
        subject: 'Relance #REF#',
        message: 'Montant : {{ totals.montant }}',
      }),
      'invalid_input',
    );
    expect(french(unknown)).toBe(
      "Dans le message, ligne 1 : variable inconnue « totals.montant ». Rien n'a été envoyé.",
    );
    expect(translator('en')(unknown.messageKey, unknown.params)).toBe(
      'In the message, line 1: unknown variable "totals.montant". Nothing was sent.',
    );
    // Another template refusal is said by its own reason, not in liquid's English.
    const group = await expectAppError(
      sendManualReminder(db, company.id, {
        customerId: customer.id,
        invoiceIds: [invoice.id],
        date: DAY,
        subject: 'Relance {{ customer.address }}',
      }),
      'invalid_input',
    );
    expect(french(group)).toMatch(/^Dans l'objet, ligne 1 : affiche un groupe de champs, pas une valeur/);
    expect(await listReminders(db, company.id)).toEqual([]);
    await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id],
      date: DAY,
      subject: 'Relance #REF# – {{ company.legalName }}',
      message: 'Bonjour,\n\nMerci de régler #REF# ({{ totals.due }}).',
    });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    const mail = await parse(sink!.received[0]!.raw);
    expect(mail.subject).toBe('Relance F1 – Société A');
    expect(mail.text).toMatch(/Merci de régler F1 \(1\s200,00\s€\)\./);
    expect(mail.text).not.toMatch(/#REF#|\{\{/);
  });

  it('"Standard" is a first sending: a communication without a level, no reminder recorded, no reminder letter', async () => {
    const { db, company, customer, later } = await setup();
    const sent = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [later.id],
      date: DAY,
      template: 'standard',
    });
    expect(sent.level).toBe(0);
    expect(await listReminders(db, company.id)).toEqual([]);
    const communication = await db
      .selectFrom('communications')
      .select(['level', 'label'])
      .where('id', '=', sent.communicationId)
      .executeTakeFirstOrThrow();
    expect(communication).toEqual({ level: 0, label: 'Standard' });
    expect(sent.message.attachments.map((a) => (a as { kind: string }).kind)).toEqual(['invoice']);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1, cancelled: 0 });
    expect((await parse(sink!.received[0]!.raw)).subject).toBe('Facture F4 – Société A');
    // The ladder is untouched: F4 still gets its Prérelance when its window opens.
    expect((await runDunning(db, company.id, { date: '2025-03-27' })).reminders).toBeGreaterThan(0);
    await dispatchOutbox(db, company.id);
    expect((await listReminders(db, company.id)).filter((r) => r.invoice === 'F4').map((r) => r.level)).toEqual([1]);
  });
});

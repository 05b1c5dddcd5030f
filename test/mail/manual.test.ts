import { translator } from '../../src/i18n/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { sendManualReminder } from '../../src/mail/manual.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { sendSimulation, sendTestMessage } from '../../src/mail/test-send.ts';
import { addContact } from '../../src/storage/customers.ts';
import { listReminders } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { dialects } from '../support/stores.ts';
import { expectAppError, invoiceInput, seedLedger, useStore } from '../repositories/helpers.ts';
import { parse, pdfText } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe.each(dialects)('manual reminders, test sends and the simulation e-mail on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const seeded = await seedLedger(db, { customerName: 'Boulangerie Éloïse' });
    const second = await createInvoice(
      db,
      seeded.company.id,
      seeded.customer.id,
      invoiceInput('F2', { total: 54_000, totalExclTax: null }),
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
    return { db, ...seeded, second };
  }

  it('sends a manual reminder for chosen invoices with a typed message, recorded in the history without a run', async () => {
    const { db, company, customer, invoice, second } = await setup();
    const sent = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id, second.id],
      to: ['eloise@boulangerie.fr'],
      bcc: ['moi@societe-a.fr'],
      subject: 'Factures F1 et F2 à régler',
      message: 'Bonjour Éloïse,\n\nPouvez-vous régler <vite> les factures ci-jointes ?\nMerci',
      date: '2025-02-20',
      attachments: {
        letter: false,
        statement: true,
        files: [{ filename: 'échéancier.txt', contentType: 'text/plain', content: Buffer.from('1/3 le 1er mars') }],
      },
    });
    // Overdue and never reminded: the first real reminder (level 2), not the policy's pre-reminder.
    expect(sent.level).toBe(2);
    // Queued, not left yet: nothing in the history until the SMTP server accepts it.
    expect(await listReminders(db, company.id)).toEqual([]);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 1 });
    expect(await listReminders(db, company.id)).toEqual([
      {
        invoice: 'F1',
        customer: 'C1',
        level: 2,
        sentOn: '2025-02-20',
        channel: 'email',
        runId: null,
        communicationId: sent.communicationId,
      },
      {
        invoice: 'F2',
        customer: 'C1',
        level: 2,
        sentOn: '2025-02-20',
        channel: 'email',
        runId: null,
        communicationId: sent.communicationId,
      },
    ]);
    const mail = await parse(sink!.received[0]!.raw);
    expect(sink!.received[0]!.to.sort()).toEqual(['eloise@boulangerie.fr', 'moi@societe-a.fr']);
    expect(mail.subject).toBe('Factures F1 et F2 à régler');
    expect(mail.text).toContain('Pouvez-vous régler <vite> les factures');
    expect(mail.html).toContain('régler &lt;vite&gt; les factures');
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      'Facture F1.pdf',
      'Facture F2.pdf',
      'Relevé de compte C1 2025-02-20.pdf',
      'échéancier.txt',
    ]);
    expect(await pdfText(mail.attachments[1]!.content)).toContain('F2');
    expect(await pdfText(mail.attachments[2]!.content)).toContain('Boulangerie Éloïse');

    // A second click the same day does not escalate again, and the run of that day leaves them alone.
    const twice = await expectAppError(
      sendManualReminder(db, company.id, {
        customerId: customer.id,
        invoiceIds: [invoice.id, second.id],
        date: '2025-02-20',
      }),
      'conflict',
      /F[12] was already reminded on 2025-02-20 \(level 2\)/,
    );
    // The reader gets it in French, with the date as written in France and the step by the policy's name.
    expect(translator('fr')(twice.messageKey!, twice.params)).toMatch(
      /^La facture F[12] a déjà été relancée aujourd'hui, le 20\/02\/2025 \(1ère relance\) : une seule relance par jour\.$/,
    );
    const run = await runDunning(db, company.id, { date: '2025-02-20' });
    expect(run.communications).toBe(0);
  });

  it("prefills subject and message from the level's template and refuses invoices that are not the customer's unpaid ones", async () => {
    const { db, company, customer, invoice, second } = await setup();
    const other = await seedLedger(db, { legalName: 'Autre' });
    await expectAppError(
      sendManualReminder(db, company.id, { customerId: customer.id, invoiceIds: [other.invoice.id] }),
      'invalid_input',
      /not an unpaid/,
    );
    await expectAppError(
      sendManualReminder(db, company.id, { customerId: customer.id, invoiceIds: [] }),
      'invalid_input',
    );
    const sent = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [invoice.id],
      date: '2025-02-20',
    });
    expect(sent.message.to).toEqual(['eloise@boulangerie.fr']);
    expect(sent.message.subject).toContain('F1');
    expect(sent.message.text).toContain('F1');
    expect(sent.message.attachments.map((a) => (a as { kind: string }).kind)).toEqual(['letter', 'invoice']);
    // Another template than the level's: its subject, text and letter, still recorded at the level reached.
    const chosen = await sendManualReminder(db, company.id, {
      customerId: customer.id,
      invoiceIds: [second.id],
      date: '2025-02-21',
      template: 'mise-en-demeure',
    });
    expect(chosen.level).toBe(sent.level);
    expect(chosen.message.text).toMatch(/mettons en demeure/);
    const letter = chosen.message.attachments.find((a) => (a as { kind: string }).kind === 'letter') as {
      text: string;
    };
    expect(letter.text).toMatch(/mettons en demeure/);
  });

  it("sends a test of a step with sample data or a real customer's, without touching the history", async () => {
    const { db, company } = await setup();
    const sample = await sendTestMessage(db, company.id, { level: 2, to: 'moi@societe-a.fr', date: '2025-02-20' });
    const real = await sendTestMessage(db, company.id, {
      level: 2,
      to: 'moi@societe-a.fr',
      customerCode: 'C1',
      date: '2025-02-20',
    });
    expect(sample).toMatchObject({ kind: 'test', to: ['moi@societe-a.fr'], cc: [], bcc: [] });
    expect(sample.subject).toMatch(/^\[Test\] /);
    expect(real.text).toContain('F1');
    expect(real.text).toContain('F2');
    await expectAppError(
      sendTestMessage(db, company.id, { level: 9, to: 'moi@societe-a.fr' }),
      'invalid_input',
      /4 steps/,
    );
    await expectAppError(sendTestMessage(db, company.id, { level: 1, to: 'pas une adresse' }), 'invalid_input');
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2 });
    const mails = await Promise.all(sink!.received.map((m) => parse(m.raw)));
    expect(mails.map((m) => m.attachments.length).sort()).toEqual([1, 3]);
    expect(await listReminders(db, company.id)).toEqual([]);
  });

  it('mails the simulation: per customer and level, which invoices will be reminded', async () => {
    const { db, company } = await setup();
    const message = await sendSimulation(db, company.id, { to: 'moi@societe-a.fr', date: '2025-02-20' });
    expect(message.subject).toBe('Simulation des relances du 20/02/2025 — Société A');
    // French amounts and dates, the policy's step names, French channels; nothing in English or ISO form.
    expect(message.text).toMatch(
      /C1\n {2}1ère relance\n {4}F1 {2}\d[\d\u00a0]*,\d\d\u00a0€ {2}échéance \d\d\/\d\d\/\d{4} {2}→ sera relancée \(e-mail\)/,
    );
    expect(message.text).toMatch(/F2 .* → sera relancée/);
    expect(message.text).not.toMatch(/EUR|\d{4}-\d\d-\d\d|Niveau|email\b/);
    expect(await listReminders(db, company.id)).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../documents/pdf-support.ts';
import { PDFDocument } from 'pdf-lib';
import { parsePolicy } from '../../src/domain/dunning/policy.ts';
import { dueInstalments, planQuoteFollowUps } from '../../src/follow-ups/plan.ts';
import { DEFAULT_QUOTE_POLICY, quotePolicy, setQuotePolicy } from '../../src/follow-ups/quote-policy.ts';
import { runFollowUps } from '../../src/follow-ups/run-follow-ups.ts';
import { schedulePdf } from '../../src/follow-ups/schedule-pdf.ts';
import { resolveAttachments } from '../../src/mail/attachments.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { createQuote, setPaymentSchedule } from '../../src/storage/quotes.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { listPolicies, listRuns } from '../../src/storage/dunning.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { parse } from '../mail/support/fixtures.ts';
import { startSink } from '../mail/support/sink.ts';
import { customerInput, expectAppError, invoiceInput, useStore } from '../repositories/helpers.ts';

const quote = (id: string, validUntil: string) => ({ id, number: id, customerId: 'C', validUntil, date: '2026-02-01' });

describe('planning follow-ups', () => {
  const twoSteps = parsePolicy({
    name: 'devis',
    minBalance: '0.00',
    minDaysBetween: 0,
    steps: [
      { label: 'J-14', delayDays: -14, from: 'dueDate', channels: ['email'] },
      { label: 'J-3', delayDays: -3, from: 'dueDate', channels: ['email'] },
    ],
  });

  it('follows a pending quote up before its expiry, step after step, once a day, never after it expired', () => {
    const quotes = [quote('D1', '2026-03-31'), quote('D2', '2026-03-10'), quote('D3', '2026-03-01')];
    expect(planQuoteFollowUps(quotes, new Map(), twoSteps, '2026-03-05').map((f) => [f.number, f.level])).toEqual([
      ['D2', 1],
    ]);
    // D2 was followed up at J-14; at J-3 the second step is due; D3 expired and is left alone.
    const sent = new Map([['D2', [{ level: 1, sentOn: '2026-02-24' }]]]);
    expect(planQuoteFollowUps(quotes, sent, twoSteps, '2026-03-07').map((f) => [f.number, f.level, f.label])).toEqual([
      ['D2', 2, 'J-3'],
    ]);
    expect(
      planQuoteFollowUps(quotes, new Map([['D2', [{ level: 1, sentOn: '2026-03-07' }]]]), twoSteps, '2026-03-07'),
    ).toEqual([]);
    // A late first run sends the highest step due, not both.
    expect(
      planQuoteFollowUps([quote('D4', '2026-03-08')], new Map(), twoSteps, '2026-03-06').map((f) => f.level),
    ).toEqual([2]);
  });

  it('reminds each unpaid instalment once from its due date, crediting payments to the earliest', () => {
    const invoice = {
      scheduleId: 'S',
      invoiceId: 'I',
      number: 'F-1',
      customerId: 'C',
      total: 90_000,
      allocated: 40_000,
      instalments: [
        { seq: 1, dueDate: '2026-01-31', amount: 30_000 },
        { seq: 2, dueDate: '2026-02-28', amount: 30_000 },
        { seq: 3, dueDate: '2026-03-31', amount: 30_000 },
      ],
    };
    expect(dueInstalments([invoice], new Set(), '2026-03-01').map((d) => [d.seq, d.unpaid])).toEqual([[2, 20_000]]);
    expect(dueInstalments([invoice], new Set(['S:2']), '2026-03-01')).toEqual([]);
    expect(dueInstalments([invoice], new Set(['S:2']), '2026-03-31').map((d) => [d.seq, d.count, d.unpaid])).toEqual([
      [3, 3, 30_000],
    ]);
  });
});

async function ledger(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Durand' });
  const martin = await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Boulangerie Martin' }));
  await addContact(db, company.id, martin.id, {
    name: 'Compta',
    email: 'compta@martin.fr',
    phone: null,
    role: null,
    isPrimary: true,
  });
  const silent = await createCustomer(db, company.id, customerInput('SILENT', { name: 'Sans e-mail' }));
  await createQuote(db, company.id, {
    number: 'D-1',
    customerId: martin.id,
    date: '2026-02-01',
    validUntil: '2026-03-10',
    currency: 'EUR',
    total: 250_000,
    status: 'pending',
  });
  await createQuote(db, company.id, {
    number: 'D-2',
    customerId: martin.id,
    date: '2026-02-05',
    validUntil: '2026-03-12',
    currency: 'EUR',
    total: 80_000,
    status: 'pending',
  });
  await createQuote(db, company.id, {
    number: 'D-3',
    customerId: martin.id,
    date: '2026-02-05',
    validUntil: '2026-03-12',
    currency: 'EUR',
    total: 10_000,
    status: 'accepted',
  });
  await createQuote(db, company.id, {
    number: 'D-4',
    customerId: silent.id,
    date: '2026-02-05',
    validUntil: '2026-03-12',
    currency: 'EUR',
    total: 10_000,
    status: 'pending',
  });
  const invoice = await createInvoice(
    db,
    company.id,
    martin.id,
    invoiceInput('F-1', { total: 90_000, totalExclTax: null, issueDate: '2026-01-15', dueDate: '2026-01-31' }),
  );
  await setPaymentSchedule(db, company.id, invoice.id, [
    { seq: 1, dueDate: '2026-01-31', amount: 30_000 },
    { seq: 2, dueDate: '2026-03-05', amount: 30_000 },
    { seq: 3, dueDate: '2026-04-05', amount: 30_000 },
  ]);
  await insertPayment(db, company.id, {
    customerId: martin.id,
    date: '2026-02-01',
    currency: 'EUR',
    amount: 30_000,
    method: 'transfer',
    reference: null,
    allocations: [{ invoiceId: invoice.id, amount: 30_000 }],
  });
  return company;
}

describe.each(dialects)('follow-ups on %s', (dialect) => {
  const store = useStore(dialect);

  it('queues one quote follow-up per customer and one reminder per due instalment with the schedule attached, once', async () => {
    const { db } = store();
    const company = await ledger(db);
    const dry = await runFollowUps(db, company.id, { date: '2026-03-05', dryRun: true });
    expect(dry.quotes.map((q) => [q.number, q.customer, q.status])).toEqual([
      ['D-1', 'MARTIN', 'would_send'],
      ['D-2', 'MARTIN', 'would_send'],
      ['D-4', 'SILENT', 'no_email'],
    ]);
    const [none] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from outbox');
    expect(Number(none!.n)).toBe(0);

    const report = await runFollowUps(db, company.id, { date: '2026-03-05' });
    expect(report.quotes.map((q) => [q.number, q.level, q.status])).toEqual([
      ['D-1', 1, 'queued'],
      ['D-2', 1, 'queued'],
      ['D-4', 1, 'no_email'],
    ]);
    expect(report.instalments.map((i) => [i.number, i.seq, i.unpaid, i.status])).toEqual([
      ['F-1', 2, 30_000, 'queued'],
    ]);
    const messages = await rawQuery<{ subject: string; text_body: string; to_addresses: string; attachments: string }>(
      db,
      'select subject, text_body, to_addresses, attachments from outbox order by subject',
    );
    expect(messages.map((m) => [m.subject, JSON.parse(m.to_addresses)])).toEqual([
      [expect.stringMatching(/F-1/), ['compta@martin.fr']],
      ['Suivi de nos devis D-1, D-2', ['compta@martin.fr']],
    ]);
    const instalment = messages.find((m) => m.subject.includes('F-1'))!;
    expect(instalment.text_body.split('\n')[0]).toBe(
      'Échéance 2/3 de la facture F-1, due le 05/03/2026 : 300,00\u00a0€.',
    );
    // Every instalment with its own due date follows the body; the schedule PDF is attached, made at dispatch.
    expect(instalment.text_body).toContain(
      'Échéancier de la facture F-1\u00a0:\n- Échéance 1/3, due le 31/01/2026 : 300,00\u00a0€ (payée)\n' +
        '- Échéance 2/3, due le 05/03/2026 : 300,00\u00a0€ (reste 300,00\u00a0€)\n- Échéance 3/3, due le 05/04/2026 : 300,00\u00a0€ (reste 300,00\u00a0€)',
    );
    const attachments = JSON.parse(instalment.attachments) as unknown[];
    expect(attachments).toEqual([
      { kind: 'invoice', invoiceId: expect.any(String), filename: 'Facture F-1.pdf' },
      { kind: 'schedule', invoiceNumber: 'F-1', date: '2026-03-05', filename: 'Echeancier F-1.pdf' },
    ]);
    const [, schedule] = await resolveAttachments(db, company.id, attachments);
    expect((await PDFDocument.load(schedule!.content)).getTitle()).toBe('Échéancier de paiement F-1');

    const again = await runFollowUps(db, company.id, { date: '2026-03-05' });
    expect([again.quotes.filter((q) => q.status === 'queued'), again.instalments]).toEqual([[], []]);
    const [count] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from outbox');
    expect(Number(count!.n)).toBe(2);
  });

  it('sends a follow-up of two quotes that says its opening once, in the plural, as the customer receives it', async () => {
    const { db } = store();
    const company = await ledger(db);
    const sink = await startSink();
    try {
      await saveMailSettings(db, company.id, { smtpUrl: sink.url, from: 'Société A <compta@societe-a.fr>' });
      await runFollowUps(db, company.id, { date: '2026-03-05' });
      await dispatchOutbox(db, company.id);
      const mails = await Promise.all(sink.received.map((m) => parse(m.raw)));
      const quotes = mails.find((m) => m.subject === 'Suivi de nos devis D-1, D-2');
      expect(quotes, mails.map((m) => m.subject).join(' | ')).toBeDefined();
      const text = quotes!.text ?? '';
      expect(text.split('Nous revenons vers vous').length - 1).toBe(1);
      expect(text).toContain('au sujet de nos devis :');
      expect(text).toMatch(/- devis D-1 du .*\n- devis D-2 du /);
      expect(text).not.toContain('notre devis');
    } finally {
      await sink.close();
    }
  });

  it('goes with the daily automatic run, whose summary counts what it queued', async () => {
    const { db } = store();
    const company = await ledger(db);
    const dataDir = mkdtempSync(join(tmpdir(), 'relance-follow-'));
    try {
      await runDunning(db, company.id, { date: '2026-03-05', kind: 'automatic', dataDir });
      const [run] = await listRuns(db, company.id);
      expect(run?.summary).toMatchObject({ followUps: { quotes: 2, instalments: 1 } });
      const subjects = await rawQuery<{ subject: string }>(
        db,
        `select subject from outbox where subject like 'Suivi%'`,
      );
      expect(subjects.map((m) => m.subject)).toEqual(['Suivi de nos devis D-1, D-2']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("follows the company's own quote policy when it has one", async () => {
    const { db } = store();
    const company = await ledger(db);
    await setQuotePolicy(db, company.id, {
      ...DEFAULT_QUOTE_POLICY,
      steps: [{ label: 'Relance de devis', delayDays: 20, from: 'issueDate', channels: ['email'] }],
    });
    const report = await runFollowUps(db, company.id, { date: '2026-02-22', dryRun: true });
    expect(report.quotes.map((q) => q.number)).toEqual(['D-1']);
    // It is not a dunning policy: invoices keep theirs.
    expect(await listPolicies(db, company.id)).toEqual([]);
    await expectAppError(
      setQuotePolicy(db, company.id, {
        ...DEFAULT_QUOTE_POLICY,
        steps: [{ label: 'Courrier', delayDays: -7, from: 'dueDate', channels: ['letter'] }],
      }),
      'invalid_input',
      /by e-mail/,
    );
    await setQuotePolicy(db, company.id, null);
    expect((await quotePolicy(db, company.id)).steps.map((s) => s.delayDays)).toEqual([-7]);
  });

  it('draws the schedule with what is left to pay on each instalment', async () => {
    const { db } = store();
    const company = await ledger(db);
    const pdf = await schedulePdf(db, company.id, 'F-1', '2026-03-05');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    const text = await pdfText(pdf);
    expect(text).toMatch(/1\/3\s+31\/01\/2026\s+300,00 €\s+Payée/);
    expect(text).toMatch(/2\/3\s+05\/03\/2026\s+300,00 €\s+300,00 €/);
    expect(text).toMatch(/Total\s+900,00 €\s+600,00 €/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { importEInvoices } from '../../src/integrations/einvoice/import-einvoices.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer, listContacts } from '../../src/storage/customers.ts';
import { getInvoiceByNumber, getInvoicePdf } from '../../src/storage/invoices.ts';
import { listAllocations, insertPayment } from '../../src/storage/allocations.ts';
import { buildPlan } from '../../src/domain/dunning/engine.ts';
import { loadDunningInputs } from '../../src/dunning/load-inputs.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, expectAppError, useStore } from '../repositories/helpers.ts';
import { cdarStatusXml, generateEInvoice, type SampleInvoice } from './support/einvoice-samples.ts';
import { systemActor } from '../../src/shared/actor.ts';

const MARTIN: SampleInvoice['buyer'] = {
  name: 'Boulangerie Martin',
  siren: '732829320',
  vat: 'FR44732829320',
  email: 'compta@martin.fr',
};
const base = (number: string, buyer = MARTIN): SampleInvoice => ({
  number,
  issueDate: '2026-01-15',
  dueDate: '2026-02-14',
  net: '1000.00',
  vat: '200.00',
  total: '1200.00',
  due: '1200.00',
  buyer,
});
const text = (s: string) => new TextEncoder().encode(s);

let facturX: Uint8Array;
let ubl: Uint8Array;
let cii: Uint8Array;
let creditNote: Uint8Array;
const invoices: Record<string, Uint8Array> = {};

beforeAll(async () => {
  facturX = await generateEInvoice({ ...base('F-1'), paid: '200.00', due: '1000.00' }, 'factur-x');
  ubl = await generateEInvoice(base('F-2'), 'ubl');
  cii = await generateEInvoice(base('F-3', { name: 'Garage Leroy', siren: '552100554' }), 'cii');
  creditNote = await generateEInvoice(
    { ...base('AV-1'), net: '100.00', vat: '20.00', total: '120.00', due: '120.00', corrects: 'F-2' },
    'ubl',
  );
  for (const n of [10, 11, 12, 13, 14]) invoices[`F-${n}`] = await generateEInvoice(base(`F-${n}`), 'cii');
}, 60_000);

describe.each(dialects)('e-invoice import on %s', (dialect) => {
  const store = useStore(dialect);

  it('creates the invoices, matches the customer by SIREN, keeps the Factur-X PDF and the prepaid amount', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const existing = await createCustomer(
      db,
      company.id,
      customerInput('MARTIN', { name: 'Martin', siren: '732829320' }),
    );
    const files = [
      { fileName: 'F-1.pdf', bytes: facturX },
      { fileName: 'F-2.xml', bytes: ubl },
      { fileName: 'F-3.xml', bytes: cii },
    ];
    const dry = await importEInvoices(db, systemActor(company.id), { files, dryRun: true });
    expect([dry.committed, dry.invoices.map((i) => i.action)]).toEqual([false, ['created', 'created', 'created']]);
    const [none] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from invoices');
    expect(Number(none!.n)).toBe(0);
    const report = await importEInvoices(db, systemActor(company.id), { files });
    expect(report.committed).toBe(true);
    expect(
      report.invoices.map((i) => [
        i.invoice,
        i.format,
        i.action,
        i.customer,
        i.customerCreated,
        i.paidRecorded,
        i.pdfKept,
      ]),
    ).toEqual([
      ['F-1', 'factur-x', 'created', 'MARTIN', false, 20_000, true],
      ['F-2', 'ubl', 'created', 'MARTIN', false, 0, false],
      ['F-3', 'cii', 'created', '552100554', true, 0, false],
    ]);
    const f1 = await getInvoiceByNumber(db, company.id, 'F-1');
    expect(f1).toMatchObject({
      customerId: existing.id,
      issueDate: '2026-01-15',
      dueDate: '2026-02-14',
      currency: 'EUR',
      total: 120_000,
      totalExclTax: 100_000,
      allocated: 20_000,
    });
    expect((await listAllocations(db, company.id, f1.id)).map((a) => [a.amount, a.label])).toEqual([
      [20_000, 'other F-1 déjà payé (BT-113)'],
    ]);
    const pdf = await getInvoicePdf(db, company.id, f1.id);
    expect(pdf?.filename).toBe('F-1.pdf');
    expect(Buffer.from(pdf!.content).equals(Buffer.from(facturX))).toBe(true);
    expect((await listContacts(db, company.id, existing.id)).map((c) => [c.email, c.isPrimary])).toEqual([
      ['compta@martin.fr', true],
    ]);
    const [leroy] = await rawQuery<{ name: string; siren: string; kind: string }>(
      db,
      `select name, siren, kind from customers where code = '552100554'`,
    );
    expect(leroy).toEqual({ name: 'Garage Leroy', siren: '552100554', kind: 'company' });

    // The same files again change nothing: no second invoice, payment or contact.
    const again = await importEInvoices(db, systemActor(company.id), {
      files: [{ fileName: 'F-1.pdf', bytes: facturX }],
    });
    expect(again.invoices.map((i) => [i.action, i.paidRecorded])).toEqual([['unchanged', 0]]);
    const [counts] = await rawQuery<{ p: number | string; c: number | string }>(
      db,
      'select (select count(*) from payments) as p, (select count(*) from contacts) as c',
    );
    expect([Number(counts!.p), Number(counts!.c)]).toEqual([1, 1]);
  });

  it('records an e-invoiced credit note against the invoice it corrects, once, even listed before it', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const files = [
      { fileName: 'AV-1.xml', bytes: creditNote },
      { fileName: 'F-2.xml', bytes: ubl },
    ];
    const report = await importEInvoices(db, systemActor(company.id), { files });
    expect(report.invoices.map((i) => [i.invoice, i.kind, i.action, i.customer])).toEqual([
      ['F-2', 'invoice', 'created', '732829320'],
      ['AV-1', 'credit_note', 'created', '732829320'],
    ]);
    const f2 = await getInvoiceByNumber(db, company.id, 'F-2');
    expect(f2.allocated).toBe(12_000);
    expect((await listAllocations(db, company.id, f2.id)).map((a) => [a.kind, a.label])).toEqual([
      ['credit_note', 'avoir AV-1'],
    ]);
    const again = await importEInvoices(db, systemActor(company.id), { files });
    expect(again.invoices.map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
    expect((await getInvoiceByNumber(db, company.id, 'F-2')).allocated).toBe(12_000);
  });

  it('keeps the PDF a UBL invoice carries as its copy', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const bytes = await generateEInvoice(base('F-20'), 'ubl', 'EN16931', { embedPdf: true });
    const report = await importEInvoices(db, systemActor(company.id), { files: [{ fileName: 'F-20.xml', bytes }] });
    expect(report.invoices.map((i) => i.pdfKept)).toEqual([true]);
    const pdf = await getInvoicePdf(db, company.id, (await getInvoiceByNumber(db, company.id, 'F-20')).id);
    expect(pdf?.filename).toBe('F-20.pdf');
    expect(Buffer.from(pdf!.content.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('finds a buyer without SIREN or VAT number again by its name', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const files = await Promise.all(
      ['N-1', 'N-2'].map(async (n) => ({
        fileName: `${n}.xml`,
        bytes: await generateEInvoice(base(n, { name: 'Association Les Amis' }), 'cii'),
      })),
    );
    const report = await importEInvoices(db, systemActor(company.id), { files });
    expect(report.invoices.map((i) => [i.customer, i.customerCreated])).toEqual([
      ['ASSOCIATION-LES-AMIS', true],
      ['ASSOCIATION-LES-AMIS', false],
    ]);
  });

  it('imports nothing when one file is not an e-invoice, or the good ones with skipInvalid', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const files = [
      { fileName: 'F-2.xml', bytes: ubl },
      { fileName: 'notes.txt', bytes: text('bonjour') },
    ];
    const error = await expectAppError(
      importEInvoices(db, systemActor(company.id), { files }),
      'invalid_input',
      /1 of 2 files.*nothing was imported/,
    );
    expect(error.issues).toEqual([
      {
        field: 'notes.txt',
        reason: expect.stringMatching(/^not well-formed XML, line 1/),
        code: 'reason.xmlSyntax',
        params: { line: 1, detail: expect.any(String) },
      },
    ]);
    const [none] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from invoices');
    expect(Number(none!.n)).toBe(0);
    const report = await importEInvoices(db, systemActor(company.id), { files, skipInvalid: true });
    expect(report.invoices.map((i) => i.invoice)).toEqual(['F-2']);
    expect(report.rejected.map((r) => r.file)).toEqual(['notes.txt']);
  });

  it('applies the lifecycle statuses 207, 208, 210, 211 and 212, each once', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    await importEInvoices(db, systemActor(company.id), {
      files: Object.entries(invoices).map(([n, bytes]) => ({ fileName: `${n}.xml`, bytes })),
    });
    const statuses = cdarStatusXml([
      { invoice: 'F-10', code: 207, date: '2026-02-20', reason: 'Quantité livrée inférieure' },
      { invoice: 'F-11', code: 208, date: '2026-02-20' },
      { invoice: 'F-12', code: 210, date: '2026-02-20' },
      { invoice: 'F-13', code: 211, date: '2026-02-20' },
      { invoice: 'F-14', code: 212, date: '2026-02-21', amount: '1200.00' },
    ]);
    const report = await importEInvoices(db, systemActor(company.id), {
      files: [{ fileName: 'cdv.xml', bytes: text(statuses) }],
    });
    expect(report.statuses.map((s) => [s.invoice, s.code, s.effect])).toEqual([
      ['F-10', 207, 'disputed'],
      ['F-11', 208, 'held'],
      ['F-12', 210, 'cancelled'],
      ['F-13', 211, 'payment_expected'],
      ['F-14', 212, 'payment_recorded'],
    ]);
    const get = (n: string) => getInvoiceByNumber(db, company.id, n);
    expect(await get('F-10')).toMatchObject({
      disputed: true,
      disputeReason: 'En litige (207) : Quantité livrée inférieure',
    });
    expect(await get('F-11')).toMatchObject({ disputed: true, disputeReason: 'Suspendue (208)' });
    expect(await get('F-12')).toMatchObject({ status: 'cancelled' });
    // Held ten days after the announced transfer; reminders resume after that if nothing came.
    expect((await get('F-13')).promiseToPayDate).toBe('2026-03-02');
    expect(await get('F-14')).toMatchObject({ allocated: 120_000 });

    const again = await importEInvoices(db, systemActor(company.id), {
      files: [{ fileName: 'cdv.xml', bytes: text(statuses) }],
    });
    expect(again.statuses.every((s) => s.effect === 'already_known')).toBe(true);
    // A later 212 for an invoice already paid (from the bank statement, say) records nothing more.
    const late = text(cdarStatusXml([{ invoice: 'F-14', code: 212, date: '2026-02-25', amount: '1200.00' }]));
    const paidTwice = await importEInvoices(db, systemActor(company.id), {
      files: [{ fileName: 'cdv2.xml', bytes: late }],
    });
    expect(paidTwice.statuses.map((s) => s.effect)).toEqual(['recorded']);
    const [payments] = await rawQuery<{ n: number | string }>(db, 'select count(*) as n from payments');
    expect(Number(payments!.n)).toBe(1);
  });

  it('takes the invoices a status disputes, holds, refuses or settles out of the reminders, and back in when a hold ends', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    await importEInvoices(db, systemActor(company.id), {
      files: Object.entries(invoices).map(([n, bytes]) => ({ fileName: `${n}.xml`, bytes })),
    });
    const customer = await rawQuery<{ id: string }>(db, `select customer_id as id from invoices where number = 'F-12'`);
    const f12 = await getInvoiceByNumber(db, company.id, 'F-12');
    // Something already paid on a refused invoice: it cannot be cancelled, it is disputed instead.
    await insertPayment(db, company.id, {
      customerId: customer[0]!.id,
      date: '2026-02-01',
      currency: 'EUR',
      amount: 10_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: f12.id, amount: 10_000 }],
    });
    const plan = async (date: string) =>
      new Map(buildPlan(await loadDunningInputs(db, company.id), date).items.map((i) => [i.invoice, i.action]));
    expect(
      [...(await plan('2026-02-25')).entries()]
        .filter(([, action]) => action === 'send')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['F-10', 'F-11', 'F-12', 'F-13', 'F-14']);

    const statuses = cdarStatusXml([
      { invoice: 'F-10', code: 207, date: '2026-02-20' },
      { invoice: 'F-11', code: 208, date: '2026-02-20' },
      { invoice: 'F-12', code: 210, date: '2026-02-20' },
      { invoice: 'F-13', code: 211, date: '2026-02-20' },
      { invoice: 'F-14', code: 212, date: '2026-02-21', amount: '500.00' },
    ]);
    const report = await importEInvoices(db, systemActor(company.id), {
      files: [{ fileName: 'cdv.xml', bytes: text(statuses) }],
    });
    expect(report.statuses.map((s) => [s.invoice, s.effect, s.amount])).toEqual([
      ['F-10', 'disputed', undefined],
      ['F-11', 'held', undefined],
      ['F-12', 'disputed', undefined],
      ['F-13', 'payment_expected', undefined],
      ['F-14', 'payment_recorded', 50_000],
    ]);
    expect((await getInvoiceByNumber(db, company.id, 'F-12')).disputeReason).toBe('Refusée (210)');
    // A partial 212 records what it says and leaves the rest to chase.
    expect((await getInvoiceByNumber(db, company.id, 'F-14')).allocated).toBe(50_000);

    const on25 = await plan('2026-02-25');
    expect(['F-10', 'F-11', 'F-12', 'F-13'].map((n) => on25.get(n) === 'send')).toEqual([false, false, false, false]);
    expect(on25.get('F-14')).toBe('send');
    // The 211 hold lasts ten days: on 3 March the announced transfer has not come, F-13 is reminded again.
    const on0303 = await plan('2026-03-03');
    expect(['F-10', 'F-11', 'F-12', 'F-13'].map((n) => on0303.get(n) === 'send')).toEqual([false, false, false, true]);
  });

  it('rejects a status for an unknown invoice with the file and invoice named', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const bytes = text(cdarStatusXml([{ invoice: 'F-404', code: 212, date: '2026-02-20' }]));
    await expectAppError(
      importEInvoices(db, systemActor(company.id), { files: [{ fileName: 'cdv.xml', bytes }] }),
      'invalid_input',
      /nothing was imported/,
    ).then((error) =>
      expect(error.issues[0]).toEqual({
        field: 'cdv.xml',
        reason: 'status 212 for invoice F-404: no such invoice.',
        code: 'reason.statusNoInvoice',
        params: { code: 212, invoice: 'F-404' },
      }),
    );
  });
});

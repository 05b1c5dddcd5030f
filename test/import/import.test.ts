import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv, type ImportKind, type ImportReport } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { getCustomerByCode } from '../../src/storage/customers.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const CUSTOMERS = csv(
  'code,name,kind,email,siren',
  'C1,Acme SARL,company,compta@acme.fr,732829320',
  'C2,Jean Martin,individual,jean@martin.fr,',
);
const INVOICES = csv(
  'number,customer,issue_date,due_date,total,currency,title',
  'F-001,C1,2025-01-15,2025-02-14,1200.00,EUR,Site web',
  'F-002,C1,2025-02-01,2025-03-03,300.00,EUR,Maintenance',
  'F-003,C2,2025-03-01,2025-03-31,80.50,EUR,Cours',
);
const PAYMENTS = csv(
  'invoice,date,amount,method,reference',
  'F-001,2025-03-01,500.00,transfer,VIR-1',
  'F-003,2025-04-02,80.50,cheque,CHQ-9',
);
const CREDIT_NOTES = csv('number,customer,date,total,invoice,reason', 'AV-001,C1,2025-03-10,200.00,F-001,Remise');
const INVOICE_HEADER = 'number,customer,issue_date,due_date,total,currency';
const GOOD_INVOICE = 'F-010,C1,2025-01-15,2025-02-14,100.00,EUR';
const PAYMENT_HEADER = 'invoice,date,amount,method';
const GOOD_PAYMENT = 'F-001,2025-03-01,10.00,transfer';

let store: TestStore;
let companyId: string;

beforeEach(async () => {
  store = await freshStore('sqlite');
  companyId = (await ensureDefaultCompany(store.db)).id;
});
afterEach(async () => {
  await store.dispose();
});

function run(
  kind: ImportKind,
  content: string | Uint8Array,
  options: { dryRun?: boolean; skipInvalid?: boolean } = {},
) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return importCsv(store.db, systemActor(companyId), { kind, fileName: `${kind}.csv`, bytes, ...options });
}

async function runOk(kind: ImportKind, content: string): Promise<ImportReport> {
  const report = await run(kind, content);
  expect(report.issues).toEqual([]);
  expect(report.committed).toBe(true);
  return report;
}

const TABLES = ['customers', 'contacts', 'invoices', 'payments', 'credit_notes', 'allocations', 'imports'] as const;

/** Everything an import may touch, to check a refused import changed nothing. */
async function snapshot() {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    counts[table] = Number((await rawQuery<{ n: number }>(store.db, `select count(*) as n from ${table}`))[0]!.n);
  }
  const invoices = await rawQuery(store.db, 'select number, total, allocated, title from invoices order by number');
  const customers = await rawQuery(store.db, 'select code, name, kind, siren from customers order by code');
  return { counts, invoices, customers };
}

async function balances() {
  const list = await listInvoices(store.db, companyId, { asOf: '2025-06-01' });
  return Object.fromEntries(list.map((i) => [i.number, i.balance]));
}

type Setup = 'empty' | 'customers' | 'invoices';
async function setUp(level: Setup) {
  if (level === 'empty') return;
  await runOk('customers', CUSTOMERS);
  if (level === 'invoices') await runOk('invoices', INVOICES);
}

describe('happy path', () => {
  it('imports customers, invoices, payments and credit notes and computes balances', async () => {
    expect(await runOk('customers', CUSTOMERS)).toMatchObject({
      rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      badRows: 0,
      encoding: 'utf-8',
      delimiter: ',',
    });
    expect(await runOk('invoices', INVOICES)).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    expect(await runOk('payments', PAYMENTS)).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0 });
    expect(await runOk('credit-notes', CREDIT_NOTES)).toMatchObject({ rows: 1, created: 1, updated: 0, unchanged: 0 });

    const list = await listInvoices(store.db, companyId, { asOf: '2025-06-01' });
    expect(list.map((i) => [i.number, i.customerCode, i.total, i.allocated, i.balance, i.daysOverdue])).toEqual([
      ['F-001', 'C1', 120000, 70000, 50000, 107],
      ['F-002', 'C1', 30000, 0, 30000, 90],
      ['F-003', 'C2', 8050, 8050, 0, 0],
    ]);
    const acme = await getCustomerByCode(store.db, companyId, 'C1');
    expect(acme).toMatchObject({ name: 'Acme SARL', kind: 'company', siren: '732829320', language: 'fr' });
    const contacts = await rawQuery<{ email: string; is_primary: number }>(
      store.db,
      `select email, is_primary from contacts where customer_id = '${acme.id}'`,
    );
    expect(contacts).toEqual([{ email: 'compta@acme.fr', is_primary: 1 }]);
    expect((await snapshot()).counts.imports).toBe(4);
  });

  it('reads semicolon files with French amounts and dates', async () => {
    await setUp('customers');
    const report = await runOk(
      'invoices',
      csv(
        'number;customer;issue_date;due_date;total;currency',
        'F-100;C1;31/01/2025;02/03/2025;1 234,56;EUR',
        'F-101;C1;15/02/2025;17/03/2025;1\u00a0000,00;€',
        'F-102;C2;1/3/2025;31/3/2025;1\u202f500,5;',
      ),
    );
    expect(report).toMatchObject({ delimiter: ';', created: 3 });
    const list = await listInvoices(store.db, companyId, { asOf: '2025-06-01' });
    expect(list.map((i) => [i.number, i.issueDate, i.dueDate, i.total, i.currency])).toEqual([
      ['F-100', '2025-01-31', '2025-03-02', 123456, 'EUR'],
      ['F-101', '2025-02-15', '2025-03-17', 100000, 'EUR'],
      ['F-102', '2025-03-01', '2025-03-31', 150050, 'EUR'],
    ]);
  });

  it('ignores a UTF-8 byte order mark before the header', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CUSTOMERS)]);
    const report = await run('customers', bytes);
    expect(report).toMatchObject({ committed: true, created: 2, encoding: 'utf-8', issues: [], ignoredColumns: [] });
  });

  it('ignores extra columns and lists them', async () => {
    await setUp('customers');
    const report = await runOk(
      'invoices',
      csv(
        'Number,Customer,Issue date,Due-Date,Total,Currency,Notes,Internal Ref',
        'F-200,C1,2025-01-15,2025-02-14,10.00,EUR,à relancer,X-9',
      ),
    );
    expect(report.created).toBe(1);
    expect(report.ignoredColumns).toEqual(['Notes', 'Internal Ref']);
  });

  it('imports a Windows-1252 file with its accents intact', async () => {
    const bytes = Buffer.from(csv('code,name,kind,email', 'SG,Société Générale,société,contact@sg.fr'), 'latin1');
    const report = await run('customers', bytes);
    expect(report).toMatchObject({ committed: true, created: 1, encoding: 'windows-1252' });
    expect(await getCustomerByCode(store.db, companyId, 'SG')).toMatchObject({
      name: 'Société Générale',
      kind: 'company',
    });
  });

  it('reads French words for kinds and payment methods', async () => {
    await runOk(
      'customers',
      csv(
        'code,name,kind,email',
        'P1,Marie Curie,particulier,marie@curie.fr',
        'P2,Boulangerie Dupont,Entreprise,contact@dupont.fr',
      ),
    );
    expect(await getCustomerByCode(store.db, companyId, 'P1')).toMatchObject({ kind: 'individual' });
    expect(await getCustomerByCode(store.db, companyId, 'P2')).toMatchObject({ kind: 'company' });
    await runOk('invoices', csv(INVOICE_HEADER, 'F-1,P1,2025-01-01,2025-01-31,100.00,EUR'));
    await runOk(
      'payments',
      csv(
        PAYMENT_HEADER,
        'F-1,2025-02-01,40.00,virement',
        'F-1,2025-02-02,30.00,chèque',
        'F-1,2025-02-03,20.00,Prélèvement',
      ),
    );
    const methods = await rawQuery<{ method: string }>(store.db, 'select method from payments order by date');
    expect(methods.map((m) => m.method)).toEqual(['transfer', 'cheque', 'direct_debit']);
    expect(await balances()).toEqual({ 'F-1': 1000 });
  });
});

describe('re-import', () => {
  it('of the same files creates nothing and changes nothing', async () => {
    await setUp('invoices');
    await runOk('payments', PAYMENTS);
    await runOk('credit-notes', CREDIT_NOTES);
    const before = await snapshot();
    const counts = (r: ImportReport) => [r.created, r.updated, r.unchanged];
    expect(counts(await runOk('customers', CUSTOMERS))).toEqual([0, 0, 2]);
    expect(counts(await runOk('invoices', INVOICES))).toEqual([0, 0, 3]);
    expect(counts(await runOk('payments', PAYMENTS))).toEqual([0, 0, 2]);
    expect(counts(await runOk('credit-notes', CREDIT_NOTES))).toEqual([0, 0, 1]);
    const after = await snapshot();
    expect(after.invoices).toEqual(before.invoices);
    expect(after.customers).toEqual(before.customers);
    expect({ ...after.counts, imports: 0 }).toEqual({ ...before.counts, imports: 0 });
    expect(await balances()).toEqual({ 'F-001': 50000, 'F-002': 30000, 'F-003': 0 });
  });

  it('counts a changed title as an update and stores it', async () => {
    await setUp('invoices');
    const report = await runOk('invoices', INVOICES.replace('Maintenance', 'Maintenance annuelle'));
    expect([report.created, report.updated, report.unchanged]).toEqual([0, 1, 2]);
    const list = await listInvoices(store.db, companyId, { asOf: '2025-06-01' });
    expect(list.find((i) => i.number === 'F-002')?.title).toBe('Maintenance annuelle');
  });
});

type BadCase = {
  name: string;
  setup: Setup;
  kind: ImportKind;
  file: string;
  line: number;
  field: string;
  reason: string;
};

const BAD_CASES: BadCase[] = [
  {
    name: 'missing required column',
    setup: 'customers',
    kind: 'invoices',
    line: 1,
    field: 'due_date',
    reason: 'required column is missing',
    file: csv('number,customer,issue_date,total,currency', 'F-1,C1,2025-01-01,1.00,EUR'),
  },
  {
    name: 'duplicate header',
    setup: 'customers',
    kind: 'invoices',
    line: 1,
    field: 'total',
    reason: 'appears twice',
    file: csv(`${INVOICE_HEADER},Total`, `${GOOD_INVOICE},2.00`),
  },
  {
    name: 'bad date',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'issue_date',
    reason: 'is not a date',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,hier,2025-02-14,100.00,EUR'),
  },
  {
    name: 'impossible date',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'due_date',
    reason: 'not a real date',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,31/02/2025,100.00,EUR'),
  },
  {
    name: 'due date before issue date',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'due_date',
    reason: '2025-01-10 is before issue_date 2025-01-15',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,2025-01-10,100.00,EUR'),
  },
  {
    name: 'bad amount',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'total',
    reason: 'is not a valid amount',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,2025-02-14,douze,EUR'),
  },
  {
    name: 'negative amount',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'total',
    reason: 'must not be negative',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,2025-02-14,-10.00,EUR'),
  },
  {
    name: 'three decimals',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'total',
    reason: 'more than 2 decimals',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,2025-02-14,10.123,EUR'),
  },
  {
    name: 'unknown currency',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'currency',
    reason: '"EUX" is not an ISO 4217',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C1,2025-01-15,2025-02-14,10.00,EUX'),
  },
  {
    name: 'unknown customer',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: 'customer',
    reason: 'no customer with code "C9"',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C9,2025-01-15,2025-02-14,10.00,EUR'),
  },
  {
    name: 'duplicate invoice number',
    setup: 'customers',
    kind: 'invoices',
    line: 4,
    field: 'number',
    reason: '"F-010" already appears on line 2',
    file: csv(
      INVOICE_HEADER,
      GOOD_INVOICE,
      'F-011,C1,2025-01-15,2025-02-14,10.00,EUR',
      'F-010,C2,2025-01-15,2025-02-14,5.00,EUR',
    ),
  },
  {
    name: 'bad kind',
    setup: 'empty',
    kind: 'customers',
    line: 3,
    field: 'kind',
    reason: '"alien" is not one of company, individual',
    file: csv('code,name,kind,email', 'C1,Acme,company,a@acme.fr', 'C2,Zorg,alien,z@zorg.fr'),
  },
  {
    name: 'bad email',
    setup: 'empty',
    kind: 'customers',
    line: 3,
    field: 'email',
    reason: '"zorg.fr" is not an e-mail address',
    file: csv('code,name,kind,email', 'C1,Acme,company,a@acme.fr', 'C2,Zorg,company,zorg.fr'),
  },
  {
    name: 'bad SIREN check digit',
    setup: 'empty',
    kind: 'customers',
    line: 3,
    field: 'siren',
    reason: 'wrong check digit',
    file: csv(
      'code,name,kind,email,siren',
      'C1,Acme,company,a@acme.fr,732829320',
      'C2,Zorg,company,z@zorg.fr,732829321',
    ),
  },
  {
    name: 'payment for an unknown invoice',
    setup: 'invoices',
    kind: 'payments',
    line: 3,
    field: 'invoice',
    reason: 'no invoice numbered "F-999"',
    file: csv(PAYMENT_HEADER, GOOD_PAYMENT, 'F-999,2025-03-01,10.00,transfer'),
  },
  {
    name: 'payment over the balance',
    setup: 'invoices',
    kind: 'payments',
    line: 3,
    field: 'amount',
    reason: '300.01 EUR exceeds the balance of invoice F-002 (300.00 EUR)',
    file: csv(PAYMENT_HEADER, GOOD_PAYMENT, 'F-002,2025-03-01,300.01,transfer'),
  },
  {
    name: 'two payments together over the balance',
    setup: 'invoices',
    kind: 'payments',
    line: 3,
    field: 'amount',
    reason: '150.00 EUR exceeds the balance of invoice F-002 (100.00 EUR)',
    file: csv(PAYMENT_HEADER, 'F-002,2025-03-01,200.00,transfer', 'F-002,2025-03-02,150.00,cheque'),
  },
  {
    name: 'bad payment method',
    setup: 'invoices',
    kind: 'payments',
    line: 3,
    field: 'method',
    reason: '"bitcoin" is not one of',
    file: csv(PAYMENT_HEADER, GOOD_PAYMENT, 'F-002,2025-03-01,10.00,bitcoin'),
  },
  {
    name: "credit note on another customer's invoice",
    setup: 'invoices',
    kind: 'credit-notes',
    line: 3,
    field: 'invoice',
    reason: 'invoice F-001 belongs to another customer than "C2"',
    file: csv('number,customer,date,total,invoice', 'AV-1,C1,2025-03-10,10.00,F-002', 'AV-2,C2,2025-03-10,10.00,F-001'),
  },
  {
    name: 'badly quoted CSV',
    setup: 'customers',
    kind: 'invoices',
    line: 3,
    field: '(file)',
    reason: 'badly quoted cell',
    file: csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,"C1"x,2025-01-15,2025-02-14,10.00,EUR'),
  },
];

describe('bad input', () => {
  it.each(BAD_CASES)('$name: reports line $line, $field and writes nothing', async (c) => {
    await setUp(c.setup);
    const before = await snapshot();
    const report = await run(c.kind, c.file);
    expect(report.issues).toEqual([expect.objectContaining({ line: c.line, field: c.field })]);
    expect(report.issues[0]!.reason).toContain(c.reason);
    expect(report.issueCount).toBe(1);
    expect(report.committed).toBe(false);
    expect([report.created, report.updated, report.unchanged]).toEqual([0, 0, 0]);
    expect(await snapshot()).toEqual(before);
  });

  it('reports every bad row in line order, not just the first', async () => {
    await setUp('customers');
    const report = await run(
      'invoices',
      csv(
        INVOICE_HEADER,
        'F-1,C9,2025-01-15,2025-02-14,10.00,EUR',
        GOOD_INVOICE,
        'F-2,C1,2025-01-15,2025-02-30,10.00,EUR',
        'F-3,C1,2025-01-15,2025-02-14,abc,EUR',
        'F-4,C1,bad,2025-02-14,-1,EUR',
      ),
    );
    expect(report.issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'customer'],
      [4, 'due_date'],
      [5, 'total'],
      [6, 'issue_date'],
      [6, 'total'],
    ]);
    expect(report).toMatchObject({ rows: 5, badRows: 4, issueCount: 5, committed: false });
    expect((await snapshot()).counts.invoices).toBe(0);
  });

  it('gives the physical line of a bad row after blank lines', async () => {
    await setUp('customers');
    const report = await run(
      'invoices',
      csv(INVOICE_HEADER, '', GOOD_INVOICE, '', '', 'F-011,C9,2025-01-15,2025-02-14,1.00,EUR'),
    );
    expect(report.issues).toEqual([expect.objectContaining({ line: 6, field: 'customer' })]);
  });

  it('with skipInvalid imports the good rows and reports the bad ones', async () => {
    await setUp('customers');
    const report = await run(
      'invoices',
      csv(
        INVOICE_HEADER,
        GOOD_INVOICE,
        'F-011,C9,2025-01-15,2025-02-14,1.00,EUR',
        'F-012,C2,2025-01-15,2025-02-14,2.00,EUR',
      ),
      { skipInvalid: true },
    );
    expect(report).toMatchObject({ committed: true, created: 2, badRows: 1, issueCount: 1 });
    expect(report.issues).toEqual([expect.objectContaining({ line: 3, field: 'customer' })]);
    expect(Object.keys(await balances())).toEqual(['F-010', 'F-012']);
  });

  it('with skipInvalid refuses only the payment that would exceed the balance', async () => {
    await setUp('invoices');
    const report = await run(
      'payments',
      csv(
        PAYMENT_HEADER,
        'F-002,2025-03-01,200.00,transfer',
        'F-002,2025-03-02,150.00,cheque',
        'F-002,2025-03-03,100.00,cheque',
      ),
      { skipInvalid: true },
    );
    expect(report).toMatchObject({ committed: true, created: 2, badRows: 1 });
    expect(report.issues).toEqual([expect.objectContaining({ line: 3, field: 'amount' })]);
    expect((await balances())['F-002']).toBe(0);
  });
});

describe('dry run', () => {
  it('reports the counts and writes nothing', async () => {
    await setUp('customers');
    const before = await snapshot();
    const report = await run('invoices', INVOICES, { dryRun: true });
    expect(report).toMatchObject({
      dryRun: true,
      committed: false,
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      issues: [],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('reports the issues it would refuse the file for', async () => {
    await setUp('customers');
    const report = await run('invoices', csv(INVOICE_HEADER, GOOD_INVOICE, 'F-011,C9,2025-01-15,2025-02-14,1.00,EUR'), {
      dryRun: true,
    });
    expect(report.committed).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ line: 3, field: 'customer' })]);
    expect((await snapshot()).counts.invoices).toBe(0);
  });
});

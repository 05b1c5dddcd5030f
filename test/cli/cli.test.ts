import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspace, type Run } from './support.ts';

type InvoiceJson = {
  number: string;
  customer: string;
  customerName: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalExclTax: string | null;
  total: string;
  paid: string;
  balance: string;
  daysOverdue: number;
  status: string;
  disputed: boolean;
  disputeReason: string | null;
  promiseToPayDate: string | null;
  title: string | null;
  salesRep: string | null;
};
type CustomerJson = {
  code: string;
  name: string;
  kind: string;
  email: string | null;
  openInvoices: number;
  balance: string;
};

function json<T>(run: Run): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

const CUSTOMERS = [
  'code,name,kind,email,siren,city',
  'C1,Acme SARL,company,compta@acme.fr,732829320,Lyon',
  'C2,Jean Martin,individual,jean@martin.fr; jean.martin@travail.fr,,Paris',
];
const INVOICES = [
  'number,customer,issue_date,due_date,total,currency,title',
  'F-001,C1,2025-01-15,2025-02-14,1234.56,EUR,Site web',
  'F-002,C1,2025-02-01,2025-03-03,300.00,EUR,Maintenance',
  'F-003,C2,2025-03-01,2025-03-31,80.50,EUR,Cours',
  'F-004,C2,2025-05-20,2025-06-19,99.99,EUR,Cours',
];
// What a French spreadsheet saves: ';' separated, French dates and amounts.
const PAYMENTS = [
  'invoice;date;amount;method;reference',
  'F-001;01/03/2025;234,56;virement;VIR-1',
  'F-003;02/04/2025;80,50;chèque;CHQ-9',
  'F-002;15/04/2025;100,00;CB;',
];
const CREDIT_NOTES = ['number,customer,date,total,invoice,reason', 'AV-001,C1,2025-03-10,200.00,F-001,Remise'];

describe.concurrent('relance CLI', { timeout: 150_000 }, () => {
  it('init creates the database, and imports load customers, invoices and settlements once', async () => {
    const w = workspace();
    const init = await w.run('init');
    expect(init.code).toBe(0);
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain(`Database ready at ${w.db} (sqlite)`);
    expect(existsSync(w.db)).toBe(true);

    const files = {
      customers: w.file('customers.csv', ...CUSTOMERS),
      invoices: w.file('invoices.csv', ...INVOICES),
      payments: w.file('payments.csv', ...PAYMENTS),
      'credit-notes': w.file('credit-notes.csv', ...CREDIT_NOTES),
    };
    const counts = { customers: 2, invoices: 4, payments: 3, 'credit-notes': 1 };
    for (const [kind, path] of Object.entries(files)) {
      const first = await w.run('import', kind, path);
      expect(first.stderr, kind).toBe('');
      expect(first.code, kind).toBe(0);
      const n = counts[kind as keyof typeof counts];
      expect(first.stdout).toContain(
        `${kind}.csv (${kind}, utf-8, '${kind === 'payments' ? ';' : ','}' separated): ${n} ${n === 1 ? 'row' : 'rows'}: ` +
          `${n} created, 0 updated, 0 unchanged.`,
      );
    }
    // The same files again change nothing (credit notes are keyed by number like invoices).
    for (const [kind, path] of Object.entries(files).filter(([kind]) => kind !== 'credit-notes')) {
      const again = await w.run('import', kind, path);
      expect(again.code, kind).toBe(0);
      const n = counts[kind as keyof typeof counts];
      expect(again.stdout, kind).toContain(`: ${n} rows: 0 created, 0 updated, ${n} unchanged.`);
    }

    const open = json<InvoiceJson[]>(await w.run('invoices', 'list', '--open', '--json', '--date', '2025-06-01'));
    expect(open.map((i) => [i.number, i.customer, i.total, i.paid, i.balance, i.daysOverdue])).toEqual([
      // 1234.56 - 234.56 paid - 200.00 credited
      ['F-001', 'C1', '1234.56', '434.56', '800.00', 107],
      ['F-002', 'C1', '300.00', '100.00', '200.00', 90],
      ['F-004', 'C2', '99.99', '0.00', '99.99', 0],
    ]);
    expect(open[0]).toMatchObject({
      customerName: 'Acme SARL',
      issueDate: '2025-01-15',
      dueDate: '2025-02-14',
      currency: 'EUR',
      status: 'issued',
      disputed: false,
      title: 'Site web',
    });

    const c2 = json<InvoiceJson[]>(
      await w.run('invoices', 'list', '--json', '--customer', 'C2', '--date', '2025-06-01'),
    );
    expect(c2.map((i) => [i.number, i.balance])).toEqual([
      ['F-003', '0.00'],
      ['F-004', '99.99'],
    ]);

    const customers = json<CustomerJson[]>(await w.run('customers', 'list', '--json'));
    expect(customers.map((c) => [c.code, c.name, c.kind, c.email, c.openInvoices, c.balance])).toEqual([
      ['C1', 'Acme SARL', 'company', 'compta@acme.fr', 2, '1000.00'],
      // The first address of the cell is the primary one.
      ['C2', 'Jean Martin', 'individual', 'jean@martin.fr', 1, '99.99'],
    ]);
  });

  it('refuses a file with bad rows as a whole, names each bad cell, and --dry-run / --skip-invalid behave', async () => {
    const w = workspace();
    expect((await w.run('import', 'customers', w.file('customers.csv', ...CUSTOMERS))).code).toBe(0);
    const bad = w.file(
      'bad.csv',
      'number,customer,issue_date,due_date,total,currency',
      'F-010,C1,2025-01-15,2025-02-14,100.00,EUR',
      'F-011,C9,2025-01-15,2025-02-14,100.00,EUR',
      'F-012,C1,2025-01-15,2025-01-10,abc,EUR',
      'F-013,C2,2025-02-30,2025-03-30,50.00,EUR',
      'F-014,C2,2025-02-01,2025-03-03,75.00,EUR',
    );

    const refused = await w.run('import', 'invoices', bad);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("bad.csv (invoices, utf-8, ',' separated): 5 rows: nothing imported.");
    expect(refused.stderr).toContain('line 3, customer: no customer with code "C9"');
    expect(refused.stderr).toContain('line 4, due_date: 2025-01-10 is before issue_date 2025-01-15');
    expect(refused.stderr).toContain('line 4, total: "abc" is not a valid amount');
    expect(refused.stderr).toContain('line 5, issue_date: "2025-02-30" is not a real date');
    expect(refused.stderr).not.toMatch(/line [26],/);
    expect(refused.stderr).toContain('relance: 3 bad rows in bad.csv; nothing was imported.');
    expect(refused.stderr).not.toContain('unexpected failure');

    const good = w.file('good.csv', ...INVOICES);
    const dry = await w.run('import', 'invoices', good, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('4 rows. Dry run, nothing written; would be 4 created, 0 updated, 0 unchanged.');

    // Neither the refused file nor the dry run wrote anything.
    expect(json<InvoiceJson[]>(await w.run('invoices', 'list', '--json'))).toEqual([]);

    const skipped = await w.run('import', 'invoices', bad, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('5 rows: 2 created, 0 updated, 0 unchanged.');
    expect(skipped.stdout).toContain('3 bad rows were left out.');
    expect(skipped.stderr).toContain('line 3, customer: no customer with code "C9"');
    expect(skipped.stderr).not.toContain('relance:');

    const after = json<InvoiceJson[]>(await w.run('invoices', 'list', '--json', '--date', '2025-06-01'));
    expect(after.map((i) => [i.number, i.customer, i.balance])).toEqual([
      ['F-010', 'C1', '100.00'],
      ['F-014', 'C2', '75.00'],
    ]);
  });

  it('exits 2 on usage errors and 1 on a missing file', async () => {
    const w = workspace();
    const [unknownOption, unknownSubOption, unknownKind, badDate, badCount, missing] = await Promise.all([
      w.run('--bogus', 'init'),
      w.run('invoices', 'list', '--colour'),
      w.run('import', 'widgets', join(w.dir, 'f.csv')),
      w.run('invoices', 'list', '--date', '2025-13-45'),
      w.run('demo', '--customers', 'many'),
      w.run('import', 'customers', join(w.dir, 'missing.csv')),
    ]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--bogus'");
    expect(unknownSubOption.code).toBe(2);
    expect(unknownSubOption.stderr).toContain("unknown option '--colour'");
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toContain("'widgets' is invalid");
    expect(unknownKind.stderr).toContain('customers, invoices, payments, credit-notes');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('2025-13-45');
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toContain('"many" is not a whole number');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    expect(missing.stderr).toContain('missing.csv');
    for (const run of [unknownOption, unknownSubOption, unknownKind, badDate, badCount, missing]) {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('unexpected failure');
    }
  });

  it('demo loads data once into an empty database, and --csv writes the four import files', async () => {
    const w = workspace();
    const demo = await w.run('demo', '--customers', '20', '--invoices', '200', '--seed', '3', '--date', '2026-11-25');
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(
      new RegExp(
        `^Demo data loaded into ${w.db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
          '20 customers, 200 invoices, \\d+ payments, \\d+ credit notes \\(seed 3, as of 2026-11-25\\)\\.\\n$',
      ),
    );

    const again = await w.run('demo', '--customers', '20', '--invoices', '200', '--seed', '3');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has customers');
    const loaded = json<InvoiceJson[]>(await w.run('invoices', 'list', '--json', '--date', '2026-11-25'));
    expect(loaded).toHaveLength(200);

    const csvDir = join(w.dir, 'csv');
    const csv = await w.run(
      'demo',
      '--csv',
      csvDir,
      '--customers',
      '20',
      '--invoices',
      '200',
      '--seed',
      '3',
      '--date',
      '2026-11-25',
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('Demo CSV files written:');
    const lines = (name: string) => readFileSync(join(csvDir, name), 'utf8').trimEnd().split('\n');
    expect(lines('customers.csv')[0]).toBe(
      'code,name,kind,email,siren,vat,address1,postcode,city,country,language,sales_rep,phone',
    );
    expect(lines('customers.csv')).toHaveLength(21);
    expect(lines('invoices.csv')[0]).toBe(
      'number,customer,issue_date,due_date,total,currency,total_excl_tax,title,sales_rep',
    );
    expect(lines('invoices.csv')).toHaveLength(201);
    expect(lines('payments.csv')[0]).toBe('invoice,date,amount,method,reference');
    expect(lines('payments.csv').length).toBeGreaterThan(1);
    expect(lines('credit-notes.csv')[0]).toBe('number,customer,date,total,invoice');
    expect(lines('credit-notes.csv').length).toBeGreaterThan(1);
    // The same seed and date give the data that was loaded: same numbers, same totals.
    expect(
      lines('invoices.csv')
        .slice(1)
        .map((l) => l.split(',').slice(0, 5).join(',')),
    ).toEqual(loaded.map((i) => [i.number, i.customer, i.issueDate, i.dueDate, i.total].join(',')));
  });

  it('start loads the demo data into a fresh database once and shows the overdue buckets', async () => {
    const w = workspace();
    const first = await w.run('start', '--date', '2026-11-25');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Demo data loaded into');
    expect(first.stdout).toContain('200 customers, 2000 invoices');
    expect(first.stdout).toContain(`open invoices at 2026-11-25 (${w.db})`);
    const listed = json<InvoiceJson[]>(await w.run('invoices', 'list', '--json', '--date', '2026-11-25'));
    expect(listed).toHaveLength(2000);

    // The buckets count the open invoices by lateness.
    const open = listed.filter((i) => i.status === 'issued' && i.balance !== '0.00');
    const buckets: [string, (d: number) => boolean][] = [
      ['Not yet due', (d) => d <= 0],
      ['1-30 days late', (d) => d >= 1 && d <= 30],
      ['31-60 days late', (d) => d >= 31 && d <= 60],
      ['61-90 days late', (d) => d >= 61 && d <= 90],
      ['Over 90 days late', (d) => d > 90],
    ];
    for (const [label, test] of buckets) {
      const count = open.filter((i) => test(i.daysOverdue)).length;
      // Amounts as the reader writes them: the suite reads English (€1,234.56).
      expect(first.stdout, label).toMatch(new RegExp(`^${label} +${count} +€[\\d,]+\\.\\d\\d$`, 'm'));
    }
    expect(open.filter((i) => i.daysOverdue > 90).length).toBeGreaterThan(0);

    const second = await w.run('start', '--date', '2026-11-25');
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('Demo data loaded');
    // Same overview, without the loading line.
    expect(second.stdout).toBe(first.stdout.slice(first.stdout.indexOf('\n') + 1));
    expect(json<InvoiceJson[]>(await w.run('invoices', 'list', '--json', '--date', '2026-11-25'))).toHaveLength(2000);
  });
});

describe('set-up commands on a company that has its own data', () => {
  it('start (the demo) refuses a database holding real data, loading nothing and making no account', async () => {
    const w = workspace();
    const customers = w.file('c.csv', 'code,name,kind,email', 'C1,Acme SARL,company,compta@acme.fr');
    expect((await w.run('import', 'customers', customers)).code).toBe(0);
    const start = await w.run('start', '--date', '2026-11-25', '--serve', '--port', '0');
    expect(start.code).toBe(1);
    expect(start.stderr).toContain('holds real data');
    expect(start.stderr).toContain('relance serve');
    expect(start.stdout).not.toContain('Demo data loaded');
    expect(JSON.parse((await w.run('user', 'list', '--json')).stdout)).toEqual([]);
    const list = JSON.parse((await w.run('customers', 'list', '--json')).stdout) as { code: string }[];
    expect(list.map((c) => c.code)).toEqual(['C1']);
  });

  it('refuses demo invoices without customers as a usage error', async () => {
    const w = workspace();
    const run = await w.run('demo', '--customers', '0', '--invoices', '5');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--customers 1 or more');
  });
});

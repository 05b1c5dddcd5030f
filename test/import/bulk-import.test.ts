import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv, type ImportKind, type ImportReport } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { statSync } from 'node:fs';
import { checkpointsSettled } from '../../src/storage/bulk.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

// A file with more invoices than the ledger holds takes the bulk path on SQLite (indexes dropped and built
// again in the import's transaction); PostgreSQL inserts with its indexes. Both must give the same ledger.
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const CUSTOMERS = csv(
  'code,name,kind,email',
  'C1,Acme SARL,company,compta@acme.fr',
  'C2,Jean Martin,individual,jean@martin.fr',
);
const INVOICE_HEADER = 'number,customer,issue_date,due_date,total,currency,title';
const invoiceLine = (i: number, title = 'Prestation') =>
  `F-${String(i).padStart(3, '0')},C${(i % 2) + 1},2025-01-${String((i % 28) + 1).padStart(2, '0')},2025-03-31,${i}.00,EUR,${title}`;
const invoices = (from: number, to: number, title?: string) =>
  Array.from({ length: to - from + 1 }, (_, k) => invoiceLine(from + k, title));

describe.each(dialects)('large invoice files (%s)', (dialect) => {
  let store: TestStore;
  let companyId: string;
  beforeEach(async () => {
    store = await freshStore(dialect);
    companyId = (await ensureDefaultCompany(store.db)).id;
  });
  afterEach(async () => {
    await store.dispose();
  });

  const run = (kind: ImportKind, text: string): Promise<ImportReport> =>
    importCsv(store.db, systemActor(companyId), {
      kind,
      fileName: `${kind}.csv`,
      bytes: new TextEncoder().encode(text),
    });
  const counts = (r: ImportReport) => ({
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    committed: r.committed,
  });
  const indexes = () =>
    rawQuery<{ name: string; sql: string }>(
      store.db,
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'invoices' order by name",
    );
  const numbersOf = async (code: string) =>
    (
      await rawQuery<{ number: string }>(
        store.db,
        `select i.number from invoices as i join customers as c on c.company_id = i.company_id and c.id = i.customer_id
     where c.code = '${code}' order by i.number`,
      )
    ).map((r) => r.number);

  it('imports more invoices than the ledger holds, updates those it has, and changes nothing the second time', async () => {
    await run('customers', CUSTOMERS);
    expect(counts(await run('invoices', csv(INVOICE_HEADER, ...invoices(1, 2))))).toMatchObject({
      created: 2,
      committed: true,
    });
    const before = dialect === 'sqlite' ? await indexes() : [];

    const big = csv(INVOICE_HEADER, invoiceLine(1), invoiceLine(2, 'Prestation revue'), ...invoices(3, 40));
    expect(counts(await run('invoices', big))).toEqual({ created: 38, updated: 1, unchanged: 1, committed: true });
    expect(counts(await run('invoices', big))).toEqual({ created: 0, updated: 0, unchanged: 40, committed: true });

    expect(await numbersOf('C2')).toEqual(
      invoices(1, 40)
        .filter((_, k) => (k + 1) % 2 === 1)
        .map((l) => l.split(',')[0]),
    );
    expect((await numbersOf('C1')).length).toBe(20);
    const [title] = await rawQuery<{ title: string }>(store.db, "select title from invoices where number = 'F-002'");
    expect(title!.title).toBe('Prestation revue');
    if (dialect === 'sqlite') {
      // The same indexes as the migrations made, each holding exactly the table's rows.
      expect(await indexes()).toEqual(before);
      expect(await rawQuery(store.db, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const byCustomer = await rawQuery<{ n: number }>(
        store.db,
        `select count(*) as n from invoices indexed by invoices_customer_ix
        where company_id = '${companyId}' and customer_id = (select id from customers where code = 'C1')`,
      );
      expect(byCustomer).toEqual([{ n: 20 }]);
      // The import's large page cache is given back to the connection.
      expect(await rawQuery(store.db, 'pragma cache_size')).toEqual([{ cache_size: -65536 }]);
    }
  });

  it('writes nothing, and keeps every index, when one row of a large file is bad', async () => {
    await run('customers', CUSTOMERS);
    const before = dialect === 'sqlite' ? await indexes() : [];
    const report = await run(
      'invoices',
      csv(INVOICE_HEADER, ...invoices(1, 30), 'F-999,C9,2025-01-01,2025-01-31,10.00,EUR,x'),
    );
    expect(report.committed).toBe(false);
    expect(report.issues).toEqual([
      {
        line: 32,
        field: 'customer',
        value: 'C9',
        reason: 'no customer with code "C9" (import customers first)',
        code: 'import.row.noCustomer',
        params: { value: 'C9' },
      },
    ]);
    expect(await rawQuery(store.db, 'select count(*) as n from invoices')).toEqual([{ n: 0 }]);
    if (dialect === 'sqlite') expect(await indexes()).toEqual(before);
  });

  it('records payments that settle invoices, announcing invoice.paid to subscribers of the invoices settled', async () => {
    await run('customers', CUSTOMERS);
    await run('invoices', csv(INVOICE_HEADER, ...invoices(1, 3)));
    await createWebhook(store.db, companyId, {
      url: 'https://hooks.example.test/paid',
      secret: 's',
      events: ['invoice.paid'],
    });
    await createWebhook(store.db, companyId, {
      url: 'https://hooks.example.test/other',
      secret: 's',
      events: ['reminder.sent'],
    });
    const payments = csv(
      'invoice,date,amount,method,reference',
      'F-001,2025-02-01,0.40,transfer,A',
      'F-001,2025-02-02,0.60,cheque,B',
      'F-002,2025-02-01,2.00,card,C',
      'F-003,2025-02-01,2.00,transfer,D',
    );
    expect(counts(await run('payments', payments))).toEqual({ created: 4, updated: 0, unchanged: 0, committed: true });
    expect(counts(await run('payments', payments))).toEqual({ created: 0, updated: 0, unchanged: 4, committed: true });

    const ledger = await rawQuery<{ number: string; allocated: number; n: number }>(
      store.db,
      `select i.number, i.allocated,
      (select count(*) from allocations a where a.company_id = i.company_id and a.invoice_id = i.id) as n from invoices i order by i.number`,
    );
    expect(ledger.map((r) => [r.number, Number(r.allocated), Number(r.n)])).toEqual([
      ['F-001', 100, 2],
      ['F-002', 200, 1],
      ['F-003', 200, 1],
    ]);
    const events = await rawQuery<{ event: string; payload: string }>(
      store.db,
      'select event, payload from webhook_deliveries',
    );
    expect(
      events.map((e) => [e.event, (JSON.parse(e.payload) as { data: { number: string } }).data.number]).sort(),
    ).toEqual([
      ['invoice.paid', 'F-001'],
      ['invoice.paid', 'F-002'],
    ]);
  });
});

// What the bulk path does to SQLite's connection: its pragmas, and the checkpoint moved to a worker thread.
describe('large invoice files on SQLite', () => {
  let store: TestStore;
  let companyId: string;
  beforeEach(async () => {
    store = await freshStore('sqlite');
    companyId = (await ensureDefaultCompany(store.db)).id;
  });
  afterEach(async () => {
    await checkpointsSettled();
    await store.dispose();
  });
  const run = (kind: ImportKind, text: string): Promise<ImportReport> =>
    importCsv(store.db, systemActor(companyId), {
      kind,
      fileName: `${kind}.csv`,
      bytes: new TextEncoder().encode(text),
    });

  it('gives the connection back as it was, foreign keys enforced, whether the import commits or not', async () => {
    const pragmas = async () =>
      Object.assign(
        {},
        ...(await Promise.all(
          ['foreign_keys', 'wal_autocheckpoint', 'cache_size'].map(
            async (name) => (await rawQuery<Record<string, number>>(store.db, `pragma ${name}`))[0],
          ),
        )),
      );
    const before = await pragmas();
    expect(before).toEqual({ foreign_keys: 1, wal_autocheckpoint: 1000, cache_size: -65536 });
    await run('customers', CUSTOMERS);
    expect((await run('invoices', csv(INVOICE_HEADER, ...invoices(1, 5)))).committed).toBe(true);
    expect(await pragmas()).toEqual(before);
    expect((await run('invoices', csv(INVOICE_HEADER, 'F-900,C9,2025-01-01,2025-01-31,10.00,EUR,x'))).committed).toBe(
      false,
    );
    expect(await pragmas()).toEqual(before);
    // The import skipped SQLite's own checks because it resolves every customer itself; nothing else may.
    await expect(
      rawQuery(
        store.db,
        `insert into invoices (company_id, id, number, customer_id, issue_date, due_date, currency,
      total, created_at, updated_at) values ('${companyId}', '0190a1b2-0000-7000-8000-000000000001', 'F-901',
      '0190a1b2-0000-7000-8000-000000000002', '2025-01-01', '2025-01-31', 'EUR', 100, 'x', 'x')`,
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('copies a large import into the database file on another thread once it has committed', async () => {
    await run('customers', CUSTOMERS);
    const report = await run(
      'invoices',
      csv(INVOICE_HEADER, ...Array.from({ length: 8000 }, (_, k) => invoiceLine(k + 1))),
    );
    expect(report).toMatchObject({ created: 8000, committed: true });
    await checkpointsSettled();
    // Automatic checkpoints were off during the import and nothing was written since: the pages reached the
    // file through the worker's checkpoint, and the main connection still reads every row.
    expect(statSync(store.location).size).toBeGreaterThan(4_000_000);
    expect(await rawQuery(store.db, 'select count(*) as n from invoices')).toEqual([{ n: 8000 }]);
    expect(await rawQuery(store.db, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });
});

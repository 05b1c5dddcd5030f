import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

let store: TestStore;
let companyId: string;

beforeEach(async () => {
  store = await freshStore('sqlite');
  companyId = (await ensureDefaultCompany(store.db)).id;
  await importCsv(store.db, systemActor(companyId), {
    kind: 'customers',
    fileName: 'c.csv',
    bytes: Buffer.from('code,name,kind,email\nC1,Acme,company,a@acme.fr\n'),
  });
});
afterEach(async () => store.dispose());

/** 2,500 invoices (more than one import chunk) of which line 2 is bad. */
function invoicesWithOneBadRow(): Buffer {
  const lines = ['number,customer,issue_date,due_date,total,currency', 'BAD,C1,2025-02-30,2025-03-01,10.00,EUR'];
  for (let i = 1; i < 2500; i++) lines.push(`F${i},C1,2025-01-01,2025-01-31,10.00,EUR`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('dry run of a file with bad rows', () => {
  it('says nothing would be imported, whatever the chunking', async () => {
    const report = await importCsv(store.db, systemActor(companyId), {
      kind: 'invoices',
      fileName: 'i.csv',
      bytes: invoicesWithOneBadRow(),
      dryRun: true,
    });
    expect(report).toMatchObject({ committed: false, badRows: 1, created: 0, updated: 0, unchanged: 0 });
    expect(report.issues[0]).toMatchObject({ line: 2, field: 'issue_date' });
  });

  it('with skipInvalid counts every good row that would be created', async () => {
    const report = await importCsv(store.db, systemActor(companyId), {
      kind: 'invoices',
      fileName: 'i.csv',
      bytes: invoicesWithOneBadRow(),
      dryRun: true,
      skipInvalid: true,
    });
    expect(report).toMatchObject({ committed: false, badRows: 1, created: 2499 });
    expect(await listInvoices(store.db, companyId, { asOf: '2025-06-01' })).toEqual([]);
  });
});

describe('payments without a reference', () => {
  it('warns when a new file repeats a payment already imported, but not when the same file is imported again', async () => {
    await importCsv(store.db, systemActor(companyId), {
      kind: 'invoices',
      fileName: 'i.csv',
      bytes: Buffer.from(
        'number,customer,issue_date,due_date,total,currency\nF1,C1,2025-01-01,2025-01-31,100.00,EUR\n',
      ),
    });
    const first = Buffer.from('invoice,date,amount,method\nF1,2025-02-01,10.00,cheque\n');
    const pay = (bytes: Buffer) =>
      importCsv(store.db, systemActor(companyId), { kind: 'payments', fileName: 'p.csv', bytes });
    expect((await pay(first)).warnings).toEqual([]);
    expect((await pay(first)).warnings).toEqual([]);
    const other = await pay(
      Buffer.from('invoice,date,amount,method,reference\nF1,2025-02-01,10.00,cheque,\nF1,2025-02-03,5.00,cash,\n'),
    );
    expect(other).toMatchObject({ created: 1, unchanged: 1 });
    expect(other.warnings).toEqual([
      { line: 2, message: expect.stringContaining('add a reference'), code: 'import.warning.alreadyImported' },
    ]);
  });
});

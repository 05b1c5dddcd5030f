import { describe, expect, it } from 'vitest';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { recordPayment } from '../../src/settlements/record-payment.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const CUSTOMERS = csv(
  'code,name,kind,email,siren',
  'C1,Acme SARL,company,compta@acme.fr,732829320',
  'C2,Jean Martin,individual,jean@martin.fr,',
);
const INVOICES = csv(
  'number,customer,issue_date,due_date,total,currency',
  'F-001,C1,2025-01-15,2025-02-14,1200.00,EUR',
  'F-002,C1,2025-02-01,2025-03-03,300.00,EUR',
  'F-003,C2,2025-03-01,2025-03-31,80.50,EUR',
);

describe.each(dialects)('payment and credit-note imports on %s', (dialect) => {
  const store = useStore(dialect);

  async function ledger() {
    const { db } = store();
    const companyId = (await ensureDefaultCompany(db)).id;
    const actor = systemActor(companyId);
    const run = (kind: ImportKind, text: string, options: { skipInvalid?: boolean } = {}) =>
      importCsv(db, actor, { kind, fileName: `${kind}.csv`, bytes: new TextEncoder().encode(text), ...options });
    expect(await run('customers', CUSTOMERS)).toMatchObject({ committed: true, created: 2 });
    expect(await run('invoices', INVOICES)).toMatchObject({ committed: true, created: 3 });
    const allocated = async () =>
      Object.fromEntries(
        (await rawQuery<{ number: string; allocated: number }>(db, 'select number, allocated from invoices')).map(
          (r) => [r.number, Number(r.allocated)],
        ),
      );
    const count = async (table: string) =>
      Number((await rawQuery<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n);
    return { db, companyId, actor, run, allocated, count };
  }

  it('recognise the rows of an earlier file once the company holds imported payments, whatever else it holds', async () => {
    const { db, companyId, actor, run, allocated, count } = await ledger();
    // A payment recorded by hand has no import key: the first file is still checked row by row against nothing.
    const [invoice] = await rawQuery<{ id: string; customer_id: string }>(
      db,
      `select id, customer_id from invoices where company_id = '${companyId}' and number = 'F-002'`,
    );
    await recordPayment(db, actor, {
      customerId: invoice!.customer_id,
      date: '2025-03-01',
      currency: 'EUR',
      amount: 1000,
      method: 'cash',
      reference: null,
      allocations: [{ invoiceId: invoice!.id, amount: 1000 }],
    });
    const first = csv('invoice,date,amount,method,reference', 'F-001,2025-03-01,500.00,transfer,VIR-1');
    expect(await run('payments', first)).toMatchObject({ committed: true, created: 1, unchanged: 0 });
    // The same row again with a new one: the first is taken as already imported, the second is written.
    const second = csv(
      'invoice,date,amount,method,reference',
      'F-001,2025-03-01,500.00,transfer,VIR-1',
      'F-003,2025-04-02,80.50,cheque,CHQ-9',
    );
    expect(await run('payments', second)).toMatchObject({ committed: true, created: 1, unchanged: 1, issues: [] });
    expect(await run('payments', second)).toMatchObject({ committed: true, created: 0, unchanged: 2 });
    expect(await count('payments')).toBe(3);
    expect(await allocated()).toEqual({ 'F-001': 50000, 'F-002': 1000, 'F-003': 8050 });
  });

  it('number two identical rows of one file as two payments, and find both again', async () => {
    const { run, allocated, count } = await ledger();
    const twice = csv('invoice,date,amount,method', 'F-002,2025-03-01,100.00,cheque', 'F-002,2025-03-01,100.00,cheque');
    expect(await run('payments', twice)).toMatchObject({ committed: true, created: 2 });
    expect(await run('payments', twice)).toMatchObject({ committed: true, created: 0, unchanged: 2 });
    expect(await count('payments')).toBe(2);
    expect((await allocated())['F-002']).toBe(20000);
  });

  it('read the methods users write, and refuse a word of no list by its line, even an object property name', async () => {
    const { run, count } = await ledger();
    const report = await run(
      'payments',
      csv(
        'invoice,date,amount,method',
        'F-001,2025-03-01,10.00,Virement',
        'F-001,2025-03-02,10.00,constructor',
        'F-001,2025-03-03,10.00,Chèque',
        'F-001,2025-03-04,10.00,toString',
      ),
    );
    expect(report.committed).toBe(false);
    expect(report.issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [3, 'method', 'import.row.notOneOf'],
      [5, 'method', 'import.row.notOneOf'],
    ]);
    expect(await count('payments')).toBe(0);
    const good = csv('invoice,date,amount,method', 'F-001,2025-03-01,10.00,Virement', 'F-001,2025-03-03,10.00,Chèque');
    expect(await run('payments', good)).toMatchObject({ committed: true, created: 2 });
    const methods = await rawQuery<{ method: string }>(store().db, 'select method from payments order by date');
    expect(methods.map((m) => m.method)).toEqual(['transfer', 'cheque']);
  });

  it('settle an invoice with several credit notes of one file, each customer looked up by its code', async () => {
    const { run, allocated, count } = await ledger();
    const notes = csv(
      'number,customer,date,total,invoice',
      'AV-1,C1,2025-03-10,200.00,F-001',
      'AV-2,C1,2025-03-11,1000.00,F-001',
      'AV-3,C2,2025-04-01,80.50,F-003',
    );
    expect(await run('credit-notes', notes)).toMatchObject({ committed: true, created: 3, issues: [] });
    expect(await allocated()).toEqual({ 'F-001': 120000, 'F-002': 0, 'F-003': 8050 });
    expect(await count('allocations')).toBe(3);
    expect(await run('credit-notes', notes)).toMatchObject({ committed: true, created: 0, unchanged: 3 });
  });

  it('name every bad credit note (unknown customer, another customer, beyond the balance) and write none', async () => {
    const { run, allocated, count } = await ledger();
    const report = await run(
      'credit-notes',
      csv(
        'number,customer,date,total,invoice',
        'AV-1,C1,2025-03-10,200.00,F-002',
        'AV-2,C9,2025-03-10,10.00,F-001',
        'AV-3,C2,2025-03-10,10.00,F-001',
        'AV-4,C1,2025-03-11,150.00,F-002',
      ),
    );
    expect(report.committed).toBe(false);
    expect(report.issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [3, 'customer', 'import.row.noCustomer'],
      [4, 'invoice', 'import.row.otherCustomer'],
      [5, 'total', expect.any(String)],
    ]);
    expect(await count('credit_notes')).toBe(0);
    expect(await count('allocations')).toBe(0);
    expect(await allocated()).toEqual({ 'F-001': 0, 'F-002': 0, 'F-003': 0 });
  });
});

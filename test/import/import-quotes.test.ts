import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv, type ImportKind, type ImportReport } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listQuotes } from '../../src/storage/quotes.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const CUSTOMERS = csv(
  'code,name,kind,email',
  'C1,Acme SARL,company,compta@acme.fr',
  'C2,Jean Martin,individual,jean@martin.fr',
);

// Quotes (devis) come from the sales tool's export, as invoices do, so that their follow-up needs no typing.
describe.each(dialects)('quotes CSV import (%s)', (dialect) => {
  let store: TestStore;
  let companyId: string;
  beforeEach(async () => {
    store = await freshStore(dialect);
    companyId = (await ensureDefaultCompany(store.db)).id;
    await run('customers', CUSTOMERS);
  });
  afterEach(async () => store.dispose());

  const run = (kind: ImportKind, text: string): Promise<ImportReport> =>
    importCsv(store.db, systemActor(companyId), {
      kind,
      fileName: `${kind}.csv`,
      bytes: new TextEncoder().encode(text),
    });
  const quotes = async () =>
    (await listQuotes(store.db, companyId)).map((q) => [q.number, q.date, q.validUntil, q.currency, q.total, q.status]);

  it("imports quotes with a French export's separators, amounts, dates and status words, then updates them on their number", async () => {
    const first = await run(
      'quotes',
      csv(
        'number;customer;date;Valid until;total;status',
        'D-001;C1;15/01/2025;15/02/2025;1 234,50;en attente',
        'D-002;C2;2025-01-20;2025-02-20;300;signé',
      ),
    );
    expect(first).toMatchObject({ committed: true, created: 2, issueCount: 0 });
    expect(await quotes()).toEqual([
      ['D-001', '2025-01-15', '2025-02-15', 'EUR', 123_450, 'pending'],
      ['D-002', '2025-01-20', '2025-02-20', 'EUR', 30_000, 'accepted'],
    ]);
    // The next export: D-001 was refused, D-002 unchanged; a file without a status column leaves statuses alone.
    const later = csv(
      'number,customer,date,valid_until,total,status',
      'D-001,C1,2025-01-15,2025-02-15,1234.50,perdu',
      'D-002,C2,2025-01-20,2025-02-20,300.00,accepted',
    );
    expect(await run('quotes', later)).toMatchObject({ committed: true, created: 0, updated: 1, unchanged: 1 });
    expect(await run('quotes', later)).toMatchObject({ committed: true, created: 0, updated: 0, unchanged: 2 });
    expect(
      await run('quotes', csv('number,customer,date,valid_until,total', 'D-002,C2,2025-01-20,2025-03-20,300.00')),
    ).toMatchObject({ updated: 1 });
    expect((await quotes()).map((q) => [q[0], q[2], q[5]])).toEqual([
      ['D-001', '2025-02-15', 'refused'],
      ['D-002', '2025-03-20', 'accepted'],
    ]);
  });

  it('names each bad row and cell, and writes nothing', async () => {
    const report = await run(
      'quotes',
      csv(
        'number,customer,date,valid_until,total,currency,status',
        'D-001,C1,2025-01-15,2025-02-15,100.00,EUR,pending',
        'D-002,C9,2025-01-15,2025-02-15,100.00,EUR,pending',
        'D-003,C1,2025-03-01,2025-02-01,100.00,EUR,pending',
        'D-004,C1,2025-01-15,2025-02-15,-5,EUR,maybe',
        'D-001,C1,2025-01-15,2025-02-15,100.00,EUR,pending',
      ),
    );
    expect(report.committed).toBe(false);
    expect(report.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'customer'],
      [4, 'valid_until'],
      [5, 'total'],
      [5, 'status'],
      [6, 'number'],
    ]);
    expect(report.issues.find((i) => i.field === 'number')!.reason).toBe('"D-001" already appears on line 2');
    expect(await quotes()).toEqual([]);
    // A quote never moves to another customer.
    await run('quotes', csv('number,customer,date,valid_until,total', 'D-001,C1,2025-01-15,2025-02-15,100.00'));
    const moved = await run(
      'quotes',
      csv('number,customer,date,valid_until,total', 'D-001,C2,2025-01-15,2025-02-15,100.00'),
    );
    expect(moved).toMatchObject({ committed: false, issues: [{ line: 2, field: 'customer' }] });
  });
});

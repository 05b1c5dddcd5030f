import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFec } from '../../src/integrations/fec/read-fec.ts';
import { fecOpenItems } from '../../src/integrations/fec/open-items.ts';
import { importFec } from '../../src/integrations/fec/import-fec.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { getInvoiceByNumber, listInvoices } from '../../src/storage/invoices.ts';
import { listCreditNotes, listPayments } from '../../src/storage/settlements.ts';
import { AppError } from '../../src/shared/errors.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';
import { systemActor } from '../../src/shared/actor.ts';

const FEC = readFileSync(new URL('../fixtures/integrations/fec-sample.txt', import.meta.url));

function failure(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

describe('reading a FEC', () => {
  it('finds the open items of the customer accounts through the lettering', () => {
    const { lines, separator } = readFec('fec.txt', FEC);
    expect(separator).toBe('|');
    const items = fecOpenItems(lines, { currency: 'EUR' });
    expect(items.summary).toEqual({
      lines: 14,
      customerLines: 6,
      otherAccountLines: 8,
      settledGroups: 1,
      settledAmount: 120_000,
      partlyLettered: 1,
      unletteredCredits: 1,
    });
    expect([...items.customers]).toEqual([
      ['CDUPONT', 'Dupont Frères'],
      ['CMARTIN', 'Boulangerie Martin'],
    ]);
    expect(items.invoices.map((i) => [i.customerCode, i.number, i.issueDate, i.total]).sort()).toEqual([
      ['CDUPONT', 'FA002', '2026-01-20', 60_000],
      ['CMARTIN', 'FA003', '2026-02-01', 100_000],
    ]);
    expect(items.settlements.map((s) => [s.kind, s.number, s.amount, s.allocateTo, s.method]).sort()).toEqual([
      ['credit_note', 'AV001', 10_000, [], 'other'],
      ['payment', 'CHQ123', 40_000, ['FA003'], 'transfer'],
    ]);
  });

  it('reads a tab-separated FEC, and a lettering dated after the as-of date does not count yet', () => {
    const tabbed = new TextEncoder().encode(FEC.toString('utf-8').replaceAll('|', '\t'));
    const items = fecOpenItems(readFec('fec.txt', tabbed).lines, { currency: 'EUR', asOf: '2026-02-01' });
    // On 1 February neither FA001's payment lettering (10 Feb) nor FA003's (15 Feb) had happened.
    expect(items.summary.settledGroups).toBe(0);
    expect(items.invoices.map((i) => i.number).sort()).toEqual(['FA001', 'FA002', 'FA003']);
  });

  it('refuses a file that is not a FEC, and reports each bad cell with its line and column', () => {
    expect(failure(() => readFec('x.csv', new TextEncoder().encode('a;b;c\n1;2;3\n'))).message).toMatch(
      /^x\.csv: not a FEC/,
    );
    const header = FEC.toString('utf-8').split('\n')[0]!.replace('CompteNum', 'Compte');
    expect(failure(() => readFec('x.txt', new TextEncoder().encode(`${header}\n`))).message).toBe(
      'x.txt: not a FEC: column 5 of the header should be CompteNum, found "Compte".',
    );
    const bad = FEC.toString('utf-8').replace('20260120|411000', '20260132|411000').replace('|600,00|', '|6OO,00|');
    const error = failure(() => readFec('fec.txt', new TextEncoder().encode(bad)));
    expect(error.message).toBe('fec.txt: 2 bad cells; nothing was imported.');
    expect(error.issues.map((i) => [i.line, i.field])).toEqual([
      [7, 'EcritureDate'],
      [7, 'Debit'],
    ]);
  });
});

describe.each(dialects)('FEC import on %s', (dialect) => {
  const store = useStore(dialect);

  it('creates customers, open invoices, payments and credit notes, and changes nothing the second time', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const dry = await importFec(db, systemActor(company.id), {
      fileName: 'fec.txt',
      bytes: FEC,
      currency: 'EUR',
      dryRun: true,
    });
    expect(dry).toMatchObject({ dryRun: true, customers: { created: 2 }, invoices: { created: 2 } });
    expect(await listInvoices(db, company.id, { asOf: '2026-03-15' })).toEqual([]);
    const report = await importFec(db, systemActor(company.id), {
      fileName: 'fec.txt',
      bytes: FEC,
      currency: 'EUR',
      termsDays: 30,
    });
    expect(report).toMatchObject({
      customers: { created: 2, existing: 0 },
      invoices: { created: 2, unchanged: 0 },
      payments: { created: 1 },
      creditNotes: { created: 1 },
    });
    const fa003 = await getInvoiceByNumber(db, company.id, 'FA003');
    expect(fa003).toMatchObject({ issueDate: '2026-02-01', dueDate: '2026-03-03', total: 100_000, allocated: 40_000 });
    const open = await listInvoices(db, company.id, { open: true, asOf: '2026-03-15' });
    expect(open.map((i) => [i.number, i.customerCode, i.balance])).toEqual([
      ['FA002', 'CDUPONT', 60_000],
      ['FA003', 'CMARTIN', 60_000],
    ]);
    expect((await listPayments(db, company.id)).map((p) => [p.amount, p.method, p.reference, p.unallocated])).toEqual([
      [40_000, 'transfer', 'CHQ123', 0],
    ]);
    expect((await listCreditNotes(db, company.id)).map((n) => [n.number, n.total])).toEqual([['AV001', 10_000]]);

    const again = await importFec(db, systemActor(company.id), { fileName: 'fec.txt', bytes: FEC, currency: 'EUR' });
    expect(again).toMatchObject({
      customers: { created: 0, existing: 2 },
      invoices: { created: 0, unchanged: 2 },
      payments: { created: 0, unchanged: 1 },
      creditNotes: { created: 0, unchanged: 1 },
    });
    expect((await getInvoiceByNumber(db, company.id, 'FA003')).allocated).toBe(40_000);
  });
});

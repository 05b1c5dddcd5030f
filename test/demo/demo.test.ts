import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoCustomers,
  demoInvoices,
  type DemoCustomer,
  type DemoInvoice,
  type DemoOptions,
} from '../../src/demo/generator.ts';
import { loadDemo, type DemoSummary } from '../../src/demo/load-demo.ts';
import { writeDemoCsv } from '../../src/demo/write-demo-csv.ts';
import { parseDate } from '../../src/domain/calendar.ts';
import { parseSiren, parseVatNumber } from '../../src/domain/identifiers.ts';
import { importCsv, type ImportKind, type ImportReport } from '../../src/import/run-import.ts';
import { AppError } from '../../src/shared/errors.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listCustomers } from '../../src/storage/customers.ts';
import { listInvoices, type InvoiceListItem } from '../../src/storage/invoices.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

const AS_OF = '2026-11-25';

function generate(options: DemoOptions): { customers: DemoCustomer[]; invoices: DemoInvoice[] } {
  return { customers: [...demoCustomers(options)], invoices: [...demoInvoices(options)] };
}

describe('demo generator', () => {
  const big: DemoOptions = { customers: 300, invoices: 5000, seed: 11, asOf: AS_OF };
  let data: { customers: DemoCustomer[]; invoices: DemoInvoice[] };
  beforeAll(() => {
    data = generate(big);
  });

  it('gives the same customers and invoices for the same seed', () => {
    const options: DemoOptions = { customers: 40, invoices: 400, seed: 5, asOf: AS_OF };
    const first = generate(options);
    // Something else in between must not change what the seed gives.
    generate({ ...options, seed: 6 });
    const second = generate(options);
    expect(second.customers).toEqual(first.customers);
    expect(second.invoices).toEqual(first.invoices);
    expect(first.customers).toHaveLength(40);
    expect(first.invoices).toHaveLength(400);
  });

  it('gives different data for a different seed', () => {
    const a = generate({ customers: 40, invoices: 400, seed: 5, asOf: AS_OF });
    const b = generate({ customers: 40, invoices: 400, seed: 6, asOf: AS_OF });
    expect(b.customers.map((c) => c.name)).not.toEqual(a.customers.map((c) => c.name));
    expect(b.customers.map((c) => c.siren)).not.toEqual(a.customers.map((c) => c.siren));
    expect(b.invoices.map((i) => i.total)).not.toEqual(a.invoices.map((i) => i.total));
    expect(b.invoices.map((i) => i.customerIndex)).not.toEqual(a.invoices.map((i) => i.customerIndex));
  });

  it('numbers invoices, credit notes and customers uniquely', () => {
    const numbers = data.invoices.map((i) => i.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    // Numbers follow the issue dates, as in a real sales ledger.
    expect([...numbers].sort()).toEqual(numbers);
    const notes = data.invoices.flatMap((i) =>
      i.settlements.flatMap((s) => (s.kind === 'credit_note' ? [s.number] : [])),
    );
    expect(notes.length).toBeGreaterThan(0);
    expect(new Set(notes).size).toBe(notes.length);
    const codes = data.customers.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('gives well-formed invoices: real dates, due on or after issue, within 18 months, settlements within the total', () => {
    for (const inv of data.invoices) {
      expect(parseDate(inv.issueDate)).toEqual({ ok: true, value: inv.issueDate });
      expect(parseDate(inv.dueDate)).toEqual({ ok: true, value: inv.dueDate });
      expect(inv.dueDate >= inv.issueDate, `${inv.number}: due ${inv.dueDate} before issue ${inv.issueDate}`).toBe(
        true,
      );
      expect(inv.issueDate <= AS_OF).toBe(true);
      expect(inv.issueDate >= '2025-05-01').toBe(true);
      expect(Number.isInteger(inv.total) && inv.total > 0).toBe(true);
      expect(inv.totalExclTax <= inv.total).toBe(true);
      expect(inv.customerIndex).toBeGreaterThanOrEqual(0);
      expect(inv.customerIndex).toBeLessThan(big.customers);
      const settled = inv.settlements.reduce((sum, s) => sum + s.amount, 0);
      expect(settled, `${inv.number} settled ${settled} of ${inv.total}`).toBeLessThanOrEqual(inv.total);
      for (const s of inv.settlements) {
        expect(Number.isInteger(s.amount) && s.amount > 0).toBe(true);
        expect(s.date <= AS_OF, `${inv.number}: settlement dated ${s.date} after ${AS_OF}`).toBe(true);
      }
    }
  });

  it('gives companies valid SIREN and VAT numbers, and individuals none', () => {
    const companies = data.customers.filter((c) => c.kind === 'company');
    const individuals = data.customers.filter((c) => c.kind === 'individual');
    expect(companies.length).toBeGreaterThan(0);
    expect(individuals.length).toBeGreaterThan(0);
    for (const c of companies) {
      expect(c.siren).toMatch(/^\d{9}$/);
      expect(parseSiren(c.siren!), `${c.code} SIREN ${c.siren}`).toEqual({ ok: true, value: c.siren });
      expect(parseVatNumber(c.vat!), `${c.code} VAT ${c.vat}`).toEqual({ ok: true, value: c.vat });
      expect(c.vat!.slice(4)).toBe(c.siren);
    }
    for (const c of individuals) {
      expect(c.siren).toBeNull();
      expect(c.vat).toBeNull();
    }
  });

  it('includes full and partial payments, credit notes, disputes and promises to pay', () => {
    const paidInFull = data.invoices.filter((i) => i.settlements.length === 1 && i.settlements[0]!.amount === i.total);
    const partial = data.invoices.filter(
      (i) =>
        i.settlements.some((s) => s.kind === 'payment') &&
        i.settlements.reduce((sum, s) => sum + s.amount, 0) < i.total,
    );
    const credited = data.invoices.filter((i) => i.settlements.some((s) => s.kind === 'credit_note'));
    const open = data.invoices.filter((i) => i.settlements.length === 0);
    const disputed = data.invoices.filter((i) => i.disputeReason !== null);
    const promised = data.invoices.filter((i) => i.promiseToPayDate !== null);
    expect(paidInFull.length).toBeGreaterThan(data.invoices.length / 2);
    expect(partial.length).toBeGreaterThan(50);
    expect(credited.length).toBeGreaterThan(20);
    expect(open.length).toBeGreaterThan(50);
    expect(disputed.length).toBeGreaterThan(0);
    expect(promised.length).toBeGreaterThan(0);
    // Disputes and promises are only on invoices with something left to pay; promises lie ahead.
    for (const i of [...disputed, ...promised]) expect(paidInFull).not.toContain(i);
    for (const i of promised) expect(i.promiseToPayDate! > AS_OF).toBe(true);
    // Both customer kinds and some foreign customers.
    expect(data.customers.some((c) => c.country === 'BE')).toBe(true);
    expect(new Set(data.customers.map((c) => c.kind))).toEqual(new Set(['company', 'individual']));
  });
});

describe('demo data in the database and through the CSV files', () => {
  // Over one chunk of each importer (invoices 1000, payments 500) and of the CSV writer (5000 lines).
  const options: DemoOptions = { customers: 60, invoices: 6000, seed: 7, asOf: AS_OF };
  let loaded: TestStore;
  let imported: TestStore;
  let loadedCompany: string;
  let importedCompany: string;
  let csvDir: string;
  let summary: DemoSummary;
  const reports: ImportReport[] = [];

  beforeAll(async () => {
    loaded = await freshStore('sqlite');
    imported = await freshStore('sqlite');
    loadedCompany = (await ensureDefaultCompany(loaded.db)).id;
    importedCompany = (await ensureDefaultCompany(imported.db)).id;
    summary = await loadDemo(loaded.db, loadedCompany, options);
    csvDir = mkdtempSync(join(tmpdir(), 'relance-demo-csv-'));
    const paths = await writeDemoCsv(csvDir, options);
    for (const kind of ['customers', 'invoices', 'payments', 'credit-notes'] as ImportKind[]) {
      const path = paths[kind]!;
      reports.push(
        await importCsv(imported.db, systemActor(importedCompany), {
          kind,
          fileName: `${kind}.csv`,
          bytes: readFileSync(path),
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await loaded?.dispose();
    await imported?.dispose();
    if (csvDir) rmSync(csvDir, { recursive: true, force: true });
  });

  it('loads what the generator gives', () => {
    const generated = [...demoInvoices(options)];
    const settlements = generated.flatMap((i) => i.settlements);
    expect(summary).toEqual({
      customers: 60,
      invoices: 6000,
      payments: settlements.filter((s) => s.kind === 'payment').length,
      creditNotes: settlements.filter((s) => s.kind === 'credit_note').length,
    });
  });

  it('imports the four CSV files without a single issue', () => {
    expect(reports.map((r) => r.kind)).toEqual(['customers', 'invoices', 'payments', 'credit-notes']);
    for (const report of reports) {
      expect(report.issues, `${report.kind}: ${JSON.stringify(report.issues.slice(0, 5))}`).toEqual([]);
      expect(report.committed).toBe(true);
      expect(report.ignoredColumns).toEqual([]);
      expect(report.encoding).toBe('utf-8');
      expect(report.created).toBe(report.rows);
    }
    expect(reports[0]!.created).toBe(summary.customers);
    expect(reports[1]!.created).toBe(summary.invoices);
    expect(reports[2]!.created).toBe(summary.payments);
    expect(reports[3]!.created).toBe(summary.creditNotes);
  });

  it('gives the same invoices with the same balances either way', async () => {
    const byNumber = (rows: InvoiceListItem[]) => new Map(rows.map((i) => [i.number, i]));
    const a = byNumber(await listInvoices(loaded.db, loadedCompany, { asOf: AS_OF, limit: 100_000 }));
    const b = byNumber(await listInvoices(imported.db, importedCompany, { asOf: AS_OF, limit: 100_000 }));
    expect(a.size).toBe(options.invoices);
    expect(new Map([...b].map(([n, i]) => [n, i.balance]))).toEqual(new Map([...a].map(([n, i]) => [n, i.balance])));
    const facts = (i: InvoiceListItem) => ({
      customer: i.customerCode,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      currency: i.currency,
      total: i.total,
      totalExclTax: i.totalExclTax,
      allocated: i.allocated,
      daysOverdue: i.daysOverdue,
      title: i.title,
      salesRep: i.salesRep,
    });
    expect([...b.values()].map(facts)).toEqual([...a.values()].map(facts));
    // The open lists agree too.
    const openA = await listInvoices(loaded.db, loadedCompany, { open: true, asOf: AS_OF, limit: 100_000 });
    const openB = await listInvoices(imported.db, importedCompany, { open: true, asOf: AS_OF, limit: 100_000 });
    expect(openB.map((i) => i.number)).toEqual(openA.map((i) => i.number));
    expect(openA.length).toBeGreaterThan(0);
    expect(openA.length).toBeLessThan(options.invoices);
  });

  it('gives the same customers, with the same primary e-mail and balance, either way', async () => {
    const strip = (rows: Awaited<ReturnType<typeof listCustomers>>) => rows.map(({ id: _id, ...rest }) => rest);
    const a = strip(await listCustomers(loaded.db, loadedCompany, { limit: 100_000 }));
    const b = strip(await listCustomers(imported.db, importedCompany, { limit: 100_000 }));
    expect(a).toHaveLength(options.customers);
    expect(b).toEqual(a);
    expect(a.every((c) => c.email !== null)).toBe(true);
  });

  it('refuses to load demo data into a company that already has customers', async () => {
    const again = loadDemo(loaded.db, loadedCompany, { ...options, invoices: 10 });
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    const count = (await listInvoices(loaded.db, loadedCompany, { asOf: AS_OF, limit: 100_000 })).length;
    expect(count).toBe(options.invoices);
  });
});

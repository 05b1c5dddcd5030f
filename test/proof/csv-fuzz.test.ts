import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { AppError } from '../../src/shared/errors.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

/**
 * Property: whatever bytes arrive as a CSV file, the import either succeeds, or reports each bad row by
 * line, column and reason (or refuses the whole file with one AppError), and then has written nothing.
 * Cells are drawn from valid values, near misses and hostile text (quotes, separators, line breaks,
 * formula starts, huge numbers, control characters, Windows-1252 bytes).
 */
const HEADERS: Record<ImportKind, string[]> = {
  customers: ['code', 'name', 'kind', 'email', 'siren', 'vat', 'country', 'language', 'postcode'],
  invoices: ['number', 'customer', 'issue_date', 'due_date', 'total', 'currency', 'total_excl_tax', 'title'],
  payments: ['invoice', 'date', 'amount', 'method', 'reference'],
  'credit-notes': ['number', 'customer', 'date', 'total', 'invoice', 'reason'],
  quotes: ['number', 'customer', 'date', 'valid_until', 'total', 'currency', 'status'],
};
const TABLES = ['customers', 'contacts', 'invoices', 'payments', 'credit_notes', 'allocations', 'quotes'];

const hostile = fc.constantFrom(
  '',
  ' ',
  '"',
  '""',
  ',',
  ';',
  '\n',
  '\r\n',
  '=HYPERLINK("http://x")',
  '+33 1',
  '-1',
  '@SUM(A1)',
  '1e309',
  '99999999999999999999',
  '-0',
  'NaN',
  '1,234',
  '1 234,56',
  '1.234,56',
  '12,5 €',
  '0',
  '-10.00',
  '2025-02-30',
  '31/12/2025',
  '2025-13-01',
  '00/00/0000',
  'C1',
  'F-001',
  'company',
  'individual',
  'société',
  'EUR',
  'XXX',
  'eur',
  'transfer',
  'chèque',
  'compta@acme.fr',
  'pas-une-adresse',
  'a@b',
  '732829320',
  '732829321',
  'FR44732829320',
  'FR',
  'Zanzibar',
  '\u0000',
  '\u202e',
  '<script>alert(1)</script>',
  "'; drop table invoices; --",
  'é'.repeat(300),
  'x'.repeat(5000),
);
const cell = fc.oneof(
  { weight: 3, arbitrary: hostile },
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

function csvLine(values: string[], separator: string, quoteAll: boolean): string {
  return values.map((v) => (quoteAll || /[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(separator);
}

const file = (kind: ImportKind) =>
  fc
    .record({
      // Mostly every column in a random order (so rows get read), sometimes a random subset (so headers get refused).
      headers: fc.oneof(
        { weight: 4, arbitrary: fc.shuffledSubarray(HEADERS[kind], { minLength: HEADERS[kind].length }) },
        { weight: 1, arbitrary: fc.shuffledSubarray(HEADERS[kind], { minLength: 1 }) },
      ),
      extra: fc.option(fc.constantFrom('extra', 'code', 'Montant', ''), { nil: undefined }),
      rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 11 }), { maxLength: 12 }),
      separator: fc.constantFrom(',', ';', '\t'),
      quoteAll: fc.boolean(),
      bom: fc.boolean(),
      latin1: fc.boolean(),
      truncate: fc.option(fc.nat(), { nil: undefined }),
    })
    .map((f) => {
      const headers = f.extra === undefined ? f.headers : [...f.headers, f.extra];
      const text = [
        csvLine(headers, f.separator, f.quoteAll),
        ...f.rows.map((r) => csvLine(r, f.separator, f.quoteAll)),
      ].join('\r\n');
      let bytes: Uint8Array = f.latin1
        ? Buffer.from(text, 'latin1')
        : Buffer.from(`${f.bom ? '\uFEFF' : ''}${text}`, 'utf8');
      if (f.truncate !== undefined) bytes = bytes.subarray(0, f.truncate % (bytes.length + 1));
      return bytes;
    });

let store: TestStore;
let companyId: string;
beforeAll(async () => {
  store = await freshStore('sqlite');
  companyId = (await ensureDefaultCompany(store.db)).id;
  // A small valid ledger, so references in the fuzzed rows sometimes resolve.
  const ok = (kind: ImportKind, text: string) =>
    importCsv(store.db, systemActor(companyId), { kind, fileName: `${kind}.csv`, bytes: Buffer.from(text) });
  await ok('customers', 'code,name,kind,email\nC1,Acme,company,compta@acme.fr\n');
  await ok(
    'invoices',
    'number,customer,issue_date,due_date,total,currency\nF-001,C1,2025-01-15,2025-02-14,1200.00,EUR\n',
  );
});
afterAll(async () => store?.dispose());

async function fingerprint(): Promise<string> {
  const rows = await rawQuery<{ t: string; n: number; s: number }>(
    store.db,
    TABLES.map(
      (t) =>
        `select '${t}' as t, count(*) as n, ${t === 'invoices' ? 'coalesce(sum(total + allocated), 0)' : '0'} as s from ${t}`,
    ).join(' union all '),
  );
  return JSON.stringify(rows);
}

describe('CSV import under fuzzed files (fast-check)', () => {
  for (const kind of Object.keys(HEADERS) as ImportKind[]) {
    it(`${kind}: never a crash, never a partial write, every problem named by line, column and reason`, async () => {
      const outcomes = { refused: 0, rowIssues: 0, imported: 0 };
      await fc.assert(
        fc.asyncProperty(file(kind), async (bytes) => {
          const before = await fingerprint();
          let report;
          try {
            report = await importCsv(store.db, systemActor(companyId), { kind, fileName: 'fuzz.csv', bytes });
          } catch (error) {
            // A file refused whole (no header, missing column, wrong encoding…) is an AppError with a sentence.
            expect(error, String((error as Error).stack)).toBeInstanceOf(AppError);
            expect((error as AppError).code).toMatch(/^(invalid|usage)/);
            expect((error as AppError).message.length).toBeGreaterThan(10);
            expect(await fingerprint()).toBe(before);
            outcomes.refused++;
            return;
          }
          if (report.committed && report.badRows === 0) outcomes.imported++;
          else outcomes.rowIssues++;
          if (!report.committed || report.badRows > 0) {
            expect(report.committed).toBe(false);
            expect(await fingerprint()).toBe(before);
            expect(report.issues.length).toBeGreaterThan(0);
            for (const issue of report.issues) {
              expect(issue.line, JSON.stringify(issue)).toBeGreaterThanOrEqual(1);
              expect(issue.field.length, JSON.stringify(issue)).toBeGreaterThan(0);
              expect(issue.reason.length, JSON.stringify(issue)).toBeGreaterThan(3);
            }
          }
        }),
        { numRuns: 150, seed: 20261125 },
      );
      // The generator reaches every outcome, so the property is about all of them.
      console.info(`csv fuzz ${kind}: ${JSON.stringify(outcomes)}`);
      expect(outcomes.rowIssues).toBeGreaterThan(0);
    }, 180_000);
  }
});

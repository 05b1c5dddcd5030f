import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementPdf } from '../../src/documents/statement.ts';
import { summaryPdf } from '../../src/documents/summary.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { renderExport } from '../../src/exports/render.ts';
import { agedBalance } from '../../src/reports/aging.ts';
import { agingDocument } from '../../src/reports/tables.ts';
import { createCompany, getCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { writePolicy } from '../../src/storage/dunning.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';

const DATE = '2026-03-28';
const dir = mkdtempSync(join(tmpdir(), 'relance-pdf-amounts-'));
let store: Store;
let companyId: string;
const totals: number[] = [];

/** The PDF's text as poppler's pdftotext reads it, spaces of any width as one. */
function pdfText(pdf: Buffer, name: string): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
}
const whole = (cents: number) => formatMoney(cents, 'EUR', 'fr-FR').replace(/[\s\u00a0\u202f]+/g, ' ');

beforeAll(async () => {
  store = await openStore(join(dir, 'ledger.db'));
  const company = await createCompany(store.db, {
    legalName: 'Coopérative Laitière des Hauts Plateaux du Vercors SAS',
    siren: '732829320',
    vatNumber: 'FR44732829320',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
    address: { line1: '12 rue de la Paix', postcode: '38250', city: 'Villard-de-Lans', country: 'FR' },
  });
  companyId = company.id;
  await writePolicy(store.db, companyId, {
    name: 'défaut',
    definition: {
      name: 'défaut',
      minBalance: '15.00',
      minDaysBetween: 7,
      steps: [
        { label: 'Rappel courtois', delayDays: 5, from: 'dueDate', channels: ['letter'] },
        { label: 'Relance ferme', delayDays: 15, from: 'previousStep', channels: ['letter'] },
        { label: 'Mise en demeure', delayDays: 15, from: 'previousStep', channels: ['letter'], formalNotice: true },
      ],
    },
  });
  // Long names and amounts in the hundreds of millions: what a narrow column would cut first.
  for (let c = 0; c < 3; c++) {
    const customer = await createCustomer(
      store.db,
      companyId,
      customerInput(`CLIENT-${c}`, {
        name: `Société d'Exploitation des Établissements Frigorifiques et Logistiques du Grand Sud-Est n° ${c}`,
        address: { line1: '4 allée des Érables', line2: null, postcode: '13008', city: 'Marseille', country: 'FR' },
      }),
    );
    for (let n = 0; n < 8; n++) {
      const total = 987_654_321_09 + c * 1_111_111 + n * 12_345_678;
      totals.push(total);
      const due = ['2025-09-15', '2025-11-20', '2026-01-05', '2026-02-10', '2026-03-01', '2026-03-20', '2026-04-15'][
        n % 7
      ]!;
      await createInvoice(
        store.db,
        companyId,
        customer.id,
        invoiceInput(`FA-2026-${c}${String(n).padStart(4, '0')}`, {
          issueDate: '2025-08-01',
          dueDate: due,
          total,
          totalExclTax: Math.round(total / 1.2),
          title: 'Prestations de transport frigorifique et entreposage sous température dirigée',
        }),
      );
    }
  }
  await runDunning(store.db, companyId, { date: '2026-03-02', dataDir: dir });
  await runDunning(store.db, companyId, { date: '2026-03-20', dataDir: dir });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('every amount of the data printed whole', () => {
  it('in the aged balance, the grand total included', async () => {
    const report = await agedBalance(store.db, companyId, { date: DATE });
    const document = agingDocument(report, 'fr');
    const text = pdfText(await renderExport(document, 'pdf', await getCompany(store.db, companyId)), 'aging');
    const amounts = document.tables.flatMap((table) =>
      table.rows.flatMap((row) =>
        row.flatMap((cell) => (typeof cell === 'object' && cell !== null ? [whole(cell.cents)] : [])),
      ),
    );
    expect(amounts.length).toBeGreaterThan(20);
    expect(amounts.filter((a) => !text.includes(a))).toEqual([]);
    expect(text).toContain(whole(totals.reduce((a, b) => a + b, 0)));
    expect(text).not.toMatch(/\d…|…\s?€/);
  });

  it("in each customer's statement, every invoice and the total", async () => {
    for (let c = 0; c < 3; c++) {
      const text = pdfText(
        await statementPdf(store.db, companyId, { customerCode: `CLIENT-${c}`, date: DATE }),
        `s${c}`,
      );
      const mine = totals.slice(c * 8, c * 8 + 8);
      expect(mine.map(whole).filter((a) => !text.includes(a))).toEqual([]);
      expect(text).toContain(whole(mine.reduce((a, b) => a + b, 0)));
    }
  });

  it("in the reminders summary, whose level columns are the policy's steps", async () => {
    const { pdf, invoices } = await summaryPdf(store.db, companyId, { date: DATE });
    expect(invoices).toBeGreaterThan(5);
    const text = pdfText(pdf, 'summary');
    // A long step label wraps in its header rather than being cut.
    for (const word of ['Rappel', 'courtois', 'Relance', 'ferme', 'Mise', 'demeure']) expect(text).toContain(word);
    expect(text).not.toMatch(/Relance [123]\b/);
    // Each reminded invoice (due by 1 March) with its amount and due date whole.
    const reminded = totals.filter((_, i) => i % 8 !== 5 && i % 8 !== 6);
    expect(reminded.map(whole).filter((a) => !text.includes(a))).toEqual([]);
    for (const date of ['15/09/2025', '20/11/2025', '05/01/2026', '10/02/2026']) expect(text).toContain(date);
    expect(text).toContain('FA-2026-00000');
    expect(text).not.toMatch(/\d…|…\s?€/);
  });
});

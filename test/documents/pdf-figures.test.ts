import { describe, expect, it } from 'vitest';
import { cellText } from '../../src/exports/display.ts';
import { renderExport } from '../../src/exports/render.ts';
import type { Cell, Column, ReportDocument } from '../../src/exports/table.ts';
import type { Company } from '../../src/domain/ledger.ts';
import { readPdf } from './pdf-support.ts';

const COMPANY = {
  legalName: 'Atelier Martin',
  siren: null,
  vatNumber: null,
  address: { line1: '1 rue de la Paix', line2: null, postcode: '75002', city: 'Paris', country: 'FR' },
} as unknown as Company;

/** An aged balance as wide as the real one (customer, rep, currency, five buckets of count and amount, total), with large figures and long names. */
function wideDocument(rows: number): ReportDocument {
  const columns: Column[] = [
    { header: 'Code client', kind: 'text' },
    { header: 'Client', kind: 'text', weight: 2.5 },
    { header: 'Représentant', kind: 'text' },
    { header: 'Devise', kind: 'text', weight: 0.6 },
    ...['Non échu', '1 à 30 j', '31 à 60 j', '61 à 90 j', 'Plus de 90 j', 'Total'].flatMap((b): Column[] => [
      { header: b, kind: 'money' },
      { header: 'Nb', kind: 'count', weight: 0.4 },
    ]),
  ];
  const data: Cell[][] = Array.from({ length: rows }, (_, r) => [
    `CLI-${String(r).padStart(6, '0')}`,
    `Société Coopérative Agricole des Producteurs Réunis du Val de ${r}`,
    'Jean-Baptiste Delacroix-Montmorency',
    'EUR',
    ...[0, 1, 2, 3, 4, 5].flatMap((b) => [
      { cents: 98_765_432_10 + r * 1_000_003 + b * 37, currency: 'EUR' },
      1000 + r + b,
    ]),
  ]);
  return {
    title: 'Balance âgée',
    date: '2026-03-31',
    language: 'fr',
    tables: [{ title: 'Balance âgée', columns, rows: data, totalRows: 1 }],
  };
}

describe('paper never hides a figure', () => {
  it('prints every amount and count of a wide report whole, shortening only text', async () => {
    const document = wideDocument(60);
    const pages = await readPdf(await renderExport(document, 'pdf', COMPANY));
    const text = pages.map((p) => p.text).join('\n');
    const table = document.tables[0]!;
    const figures = table.rows.flatMap((row) =>
      table.columns.flatMap((c, i) =>
        c.kind === 'money' || c.kind === 'count'
          ? [cellText(row[i] ?? null, c, 'fr').replace(/[\s\u00a0\u202f]+/g, ' ')]
          : [],
      ),
    );
    expect(figures.length).toBe(60 * 12);
    const missing = figures.filter((f) => !text.includes(f));
    expect(missing).toEqual([]);
    // What had to give way is text, never a run holding a digit next to the ellipsis of an amount.
    const cut = pages
      .flatMap((p) => p.items)
      .filter((i) => i.str.includes('…'))
      .map((i) => i.str);
    expect(cut.filter((s) => /\d[\s\u00a0]?\d{3},\d\d/.test(s))).toEqual([]);
  });
});

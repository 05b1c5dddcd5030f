import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { escapeFormula, toCsv } from '../../src/exports/csv.ts';
import { exportFileName, renderExport } from '../../src/exports/render.ts';
import type { ReportDocument } from '../../src/exports/table.ts';
import { agedBalance } from '../../src/reports/aging.ts';
import { remindersRegister } from '../../src/reports/register.ts';
import { agingDocument, registerDocument } from '../../src/reports/tables.ts';
import { getCompany } from '../../src/storage/companies.ts';
import { pdfText } from '../documents/pdf-support.ts';
import { useStore } from '../repositories/helpers.ts';
import { seedAgingLedger, seedReminders } from './ledger.ts';

const HOSTILE = [
  '=HYPERLINK("http://evil","clic")',
  '+33 1 23 45 67 89',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  'Sàrl Normal',
];

function hostileDocument(language: 'fr' | 'en'): ReportDocument {
  return {
    title: 'Test',
    date: '2025-06-30',
    language,
    tables: [
      {
        title: 'Test',
        columns: [
          { header: 'Nom', kind: 'text' },
          { header: 'Montant', kind: 'money' },
          { header: 'Échéance', kind: 'date' },
        ],
        rows: HOSTILE.map((name, i) => [name, { cents: -1250 - i, currency: 'EUR' }, '2025-05-31']),
      },
    ],
  };
}

/** Splits CSV text into rows of fields the way a spreadsheet does (quotes, doubled quotes, separators inside quotes). */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('CSV export', () => {
  it('never lets a spreadsheet run a value as a formula, while amounts stay numbers', () => {
    const bytes = toCsv(hostileDocument('fr'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1), ';');
    expect(rows[0]).toEqual(['Nom', 'Montant', 'Échéance']);
    const names = rows.slice(1).map((r) => r[0]!);
    for (const name of names.slice(0, 6)) expect(name.startsWith("'"), name).toBe(true);
    expect(names).toEqual([
      '\'=HYPERLINK("http://evil","clic")',
      "'+33 1 23 45 67 89",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\t=1+1",
      "'\r=1+1",
      'Sàrl Normal',
    ]);
    // Negative amounts are ours: written as French decimals, not escaped.
    expect(rows.slice(1).map((r) => r[1])).toEqual([
      '-12,50',
      '-12,51',
      '-12,52',
      '-12,53',
      '-12,54',
      '-12,55',
      '-12,56',
    ]);
    expect(rows[1]![2]).toBe('31/05/2025');
    expect(escapeFormula('Dupont')).toBe('Dupont');
  });

  it('uses commas and points in English', () => {
    const rows = parseCsv(toCsv(hostileDocument('en')).toString('utf8').slice(1), ',');
    expect(rows[7]).toEqual(['Sàrl Normal', '-12.56', '2025-05-31']);
  });
});

describe('report exports', () => {
  const store = useStore('sqlite');

  it('writes the aged balance as CSV, XLSX (numbers and text, no formula) and PDF', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    const document = agingDocument(await agedBalance(db, company.id, { date: '2025-06-30' }), 'fr');
    const full = await getCompany(db, company.id);
    expect(exportFileName(document, 'csv')).toBe('balance-agee-2025-06-30.csv');

    const csv = parseCsv((await renderExport(document, 'csv', full)).toString('utf8').slice(1), ';');
    expect(csv[0]).toEqual([
      'Code client',
      'Client',
      'Représentant',
      'Devise',
      'Non échu',
      'nb',
      '1–30 j',
      'nb',
      '31–60 j',
      'nb',
      '61–90 j',
      'nb',
      '> 90 j',
      'nb',
      'Total',
      'Nb factures',
    ]);
    expect(csv[1]).toEqual([
      'A',
      'Boulangerie Alpha',
      'Claire',
      'EUR',
      '1000,00',
      '1',
      '1500,00',
      '1',
      '6000,00',
      '2',
      '5000,00',
      '1',
      '0,00',
      '0',
      '13500,00',
      '5',
    ]);
    expect(csv[3]![1]).toBe('\'=HYPERLINK("http://evil")');
    expect(csv.at(-2)!.slice(0, 4)).toEqual(['', 'Total EUR', '', 'EUR']);
    expect(csv.at(-2)!.at(-2)).toBe('25500,00');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderExport(document, 'xlsx', full)) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Balance âgée');
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      'A',
      'Boulangerie Alpha',
      'Claire',
      'EUR',
      1000,
      1,
      1500,
      1,
      6000,
      2,
      5000,
      1,
      0,
      0,
      13500,
      5,
    ]);
    const hostile = sheet.getRow(4).getCell(2);
    expect(hostile.value).toBe('=HYPERLINK("http://evil")');
    expect(hostile.formula).toBeUndefined();
    expect(sheet.getRow(5).font?.bold).toBe(true);

    const pdf = await renderExport(document, 'pdf', full);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Balance âgée — Atelier Martin');
    expect(text).toContain('Boulangerie Alpha');
    expect(text).toContain('13 500,00 €');
    expect(text).toContain('Total EUR');
  });

  it('writes the reminders register with one date column per level', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    await seedReminders(db, company.id);
    const document = registerDocument(await remindersRegister(db, company.id, { date: '2025-06-30' }), 'fr');
    const csv = parseCsv(
      (await renderExport(document, 'csv', await getCompany(db, company.id))).toString('utf8').slice(1),
      ';',
    );
    expect(csv[0]).toEqual([
      'N° facture',
      'Date facture',
      'Code client',
      'Client',
      'Montant TTC',
      'Solde',
      'Échéance',
      '1ère relance',
      '2ème relance',
      'Jours de retard',
    ]);
    expect(csv[1]).toEqual([
      'F2',
      '01/01/2025',
      'A',
      'Boulangerie Alpha',
      '2000,00',
      '1500,00',
      '31/05/2025',
      '05/06/2025',
      '20/06/2025',
      '30',
    ]);
    expect(csv[2]).toEqual([
      'F5',
      '01/01/2025',
      'A',
      'Boulangerie Alpha',
      '5000,00',
      '5000,00',
      '30/04/2025',
      '25/06/2025',
      '',
      '61',
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBankCsv } from '../../src/integrations/bank/bank-csv.ts';

const DIR = join(import.meta.dirname, '../fixtures/bank');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.csv'));

describe('bank CSV exports of the main French banks', () => {
  it('has a fixture for each bank layout', () => {
    expect(FILES.sort()).toEqual([
      'bnp-paribas.csv',
      'caisse-epargne.csv',
      'credit-agricole.csv',
      'credit-mutuel.csv',
      'la-banque-postale.csv',
      'lcl.csv',
      'societe-generale.csv',
    ]);
  });

  it.each(FILES)('%s: skips the account lines above the header and reads the credit and the debit', (file) => {
    const lines = readBankCsv(file, readFileSync(join(DIR, file)), 'EUR');
    expect(lines.map((l) => [l.bookingDate, l.amount, l.currency])).toEqual([
      ['2026-03-02', 120_000, 'EUR'],
      ['2026-03-03', -8_420, 'EUR'],
    ]);
    // The invoice number reaches the matcher, whichever column the bank put it in.
    expect(lines[0]!.reference).toContain('F-100');
  });

  it('names bad rows by their line in the file, preamble included', () => {
    const text = 'Compte;123\nSolde;10,00\n\nDate;Libellé;Débit;Crédit\n02/03/2026;A;;10,00\n31/02/2026;B;;5,00\n';
    let issues: { line?: number; field: string }[] = [];
    try {
      readBankCsv('releve.csv', new TextEncoder().encode(text), 'EUR');
    } catch (error) {
      issues = (error as { issues: typeof issues }).issues;
    }
    expect(issues.map((i) => [i.line, i.field])).toEqual([[6, 'Date']]);
  });
});

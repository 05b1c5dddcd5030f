import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/domain/calendar.ts';
import { nextTargetDay } from '../../src/integrations/sepa/target-days.ts';
import { workspace } from '../cli/support.ts';
import { generateEInvoice } from './support/einvoice-samples.ts';
import { camt053 } from './support/camt.ts';

describe('relance import einvoice | fec | bank, relance bank, relance sepa', () => {
  it('imports e-invoices and a FEC, matches a bank statement, and writes a direct-debit file', async () => {
    const ws = workspace();
    const today = todayIn('Europe/Paris');
    const issued = addDays(today, -40);
    const pdf = join(ws.dir, 'F-2026-001.pdf');
    writeFileSync(
      pdf,
      await generateEInvoice(
        {
          number: 'F-2026-001',
          issueDate: issued,
          dueDate: addDays(issued, 30),
          net: '1000.00',
          vat: '200.00',
          total: '1200.00',
          due: '1200.00',
          buyer: { name: 'Boulangerie Martin', siren: '732829320' },
        },
        'factur-x',
      ),
    );
    const bad = ws.file('facture.xml', '<Invoice><cbc:ID>1</cbc:ID>');

    const refused = await ws.run('import', 'einvoice', pdf, bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 of 2 files could not be imported (facture.xml); nothing was imported');
    expect(refused.stderr).toContain('facture.xml: not well-formed XML');

    // Options after the sub-command are its own, although `import` has options of the same names.
    const dry = await ws.run('import', 'einvoice', pdf, '--dry-run');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    const imported = await ws.run('import', 'einvoice', pdf);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain(
      'F-2026-001.pdf: invoice F-2026-001 created (factur-x), customer 732829320 (new)',
    );

    const fec = await ws.run('import', 'fec', join(import.meta.dirname, '../fixtures/integrations/fec-sample.txt'));
    expect(fec.code).toBe(0);
    expect(fec.stdout).toContain('Open invoices: 2 created, 0 already known.');

    const statement = join(ws.dir, 'releve.xml');
    writeFileSync(
      statement,
      camt053([
        {
          amount: '1200.00',
          sign: 'CRDT',
          date: today,
          txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'Facture F-2026-001' }],
        },
        { amount: '75.00', sign: 'CRDT', date: today, txs: [{ debtor: 'INCONNU', ustrd: 'cotisation' }] },
      ]),
    );
    const bank = await ws.run('import', 'bank', statement);
    expect(bank.stdout).toContain('2 lines, 1 matched, 1 to match by hand');
    // A statement with an unreadable line is refused, or imported without it (listed) with --skip-invalid.
    const badCsv = ws.file(
      'releve.csv',
      `Date;Libellé;Montant\n31/02/2026;VIR X;10,00\n${today.split('-').reverse().join('/')};VIR Y;5,00\n`,
    );
    const refusedBank = await ws.run('import', 'bank', badCsv);
    expect(refusedBank.code).toBe(1);
    expect(refusedBank.stderr).toContain('releve.csv: 1 bad row; nothing was imported.');
    const skippedBank = await ws.run('import', 'bank', badCsv, '--skip-invalid', '--dry-run');
    expect(skippedBank.code).toBe(0);
    expect(skippedBank.stdout).toContain('1 line, 0 matched, 1 to match by hand');
    expect(skippedBank.stdout).toContain('1 unreadable left out');
    expect(skippedBank.stderr).toMatch(/left out: line 2, Date: /);
    const lines = JSON.parse((await ws.run('bank', 'lines', '--json')).stdout) as { id: string; amount: string }[];
    expect(lines.map((l) => l.amount)).toEqual(['75.00']);
    const matched = await ws.run('bank', 'match', lines[0]!.id, '--invoice', 'FA002');
    expect(matched.stdout).toContain('recorded as the payment of FA002');

    const invoices = JSON.parse((await ws.run('invoices', 'list', '--open', '--json')).stdout) as {
      number: string;
      balance: string;
    }[];
    expect(invoices.map((i) => [i.number, i.balance])).toEqual([
      ['FA002', '525.00'],
      ['FA003', '600.00'],
    ]);

    expect((await ws.run('company', 'set', '--iban', 'FR7630006000011234567890189', '--bic', 'AGRIFRPP')).code).toBe(0);
    expect((await ws.run('sepa', 'settings', '--creditor-id', 'FR72ZZZ123456')).code).toBe(0);
    const mandate = await ws.run(
      'sepa',
      'mandate',
      'add',
      '--customer',
      'CMARTIN',
      '--reference',
      'RUM-1',
      '--iban',
      'FR1420041010050500013M02606',
      '--signed',
      addDays(today, -100),
    );
    expect(mandate.stdout).toContain('Mandate RUM-1 of CMARTIN recorded');
    const out = join(ws.dir, 'prelevements.xml');
    const debit = await ws.run('sepa', 'debit', '--date', nextTargetDay(addDays(today, 3)), '--out', out);
    expect(debit.stderr).toBe('');
    expect(debit.stdout).toContain('1 direct debit, 600,00');
    expect(readFileSync(out, 'utf-8')).toContain('<MndtId>RUM-1</MndtId>');
  }, 300_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { workspace } from '../cli/support.ts';

describe('relance report', () => {
  it('prints, exports and refuses bad options like every other command', async () => {
    const w = workspace();
    w.file(
      'customers.csv',
      'code;name;kind;email;sales_rep',
      'C1;=cmd|calc;company;a@example.test;Claire',
      'C2;Dupont SA;company;b@example.test;Julien',
    );
    w.file(
      'invoices.csv',
      'number;customer;issue_date;due_date;total;currency',
      'F1;C1;2025-01-01;2025-05-31;1200,00;EUR',
      'F2;C2;2025-01-01;2025-03-31;500,00;EUR',
    );
    w.file(
      'payments.csv',
      'invoice;date;amount;method',
      'F1;2025-06-10;200,00;virement',
      'F2;2025-07-05;500,00;virement',
    );
    for (const kind of ['customers', 'invoices', 'payments'])
      expect((await w.run('import', kind, join(w.dir, `${kind}.csv`))).code).toBe(0);

    const json = await w.run('report', 'aging', '--date', '2025-06-30', '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    // F1: 30 days late, 1 000,00 left after the payment of 06-10; F2: 91 days, its payment of 07-05 is not counted yet.
    expect(
      report.rows.map((r: { customerCode: string; buckets: { balance: number }[] }) => [
        r.customerCode,
        r.buckets.map((b) => b.balance),
      ]),
    ).toEqual([
      ['C1', [0, 100_000, 0, 0, 0]],
      ['C2', [0, 0, 0, 0, 50_000]],
    ]);

    const text = await w.run('report', 'aging', '--date', '2025-06-30', '--sales-rep', 'Julien');
    expect(text.stdout).toContain('Balance âgée — 30/06/2025');
    expect(text.stdout).toContain('Dupont SA');
    expect(text.stdout).not.toContain('=cmd');

    const csvFile = join(w.dir, 'aging.csv');
    const csv = await w.run('report', 'aging', '--date', '2025-06-30', '--buckets', '30,60', '--csv', csvFile);
    expect(csv.code, csv.stderr).toBe(0);
    const bytes = readFileSync(csvFile);
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Code client;Client;Représentant;Devise;Non échu;nb;1–30 j;nb;31–60 j;nb;> 60 j;nb;Total;Nb factures',
    );
    expect(lines[1]).toBe("C1;'=cmd|calc;Claire;EUR;0,00;0;1000,00;1;0,00;0;0,00;0;1000,00;1");

    const xlsxFile = join(w.dir, 'register.xlsx');
    expect((await w.run('report', 'reminders', '--date', '2025-06-30', '--xlsx', xlsxFile, '--lang', 'en')).code).toBe(
      0,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    expect(workbook.worksheets[0]!.name).toBe('Reminders sent');

    const kpis = await w.run('report', 'kpis', '--date', '2025-06-30', '--pdf', join(w.dir, 'kpis.pdf'));
    expect(kpis.code, kpis.stderr).toBe(0);
    expect(readFileSync(join(w.dir, 'kpis.pdf')).subarray(0, 5).toString()).toBe('%PDF-');

    const bad = await w.run('report', 'aging', '--buckets', '60,30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must increase/);
    const two = await w.run('report', 'aging', '--json', '--csv', csvFile);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/one output/);
  }, 300_000);
});

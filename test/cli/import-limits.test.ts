import { describe, expect, it } from 'vitest';
import { workspace } from './support.ts';

describe('relance import: the same limits as an upload', () => {
  it('refuses a file over the size limit, more rows than the row limit and a cell longer than its field, writing nothing', async () => {
    const ws = workspace();
    const customers = ws.file(
      'clients.csv',
      'code;name;kind;email',
      'C1;Dupont SA;company;c1@example.test',
      'C2;Martin SARL;company;c2@example.test',
      'C3;Durand;individual;c3@example.test',
    );
    const big = await ws.runWith({ RELANCE_MAX_CSV_BYTES: '50' }, 'import', 'customers', customers);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(
      /clients\.csv: \d+ bytes, over the limit of 50 bytes for one file \(setting RELANCE_MAX_CSV_BYTES\)/,
    );
    const rows = await ws.runWith({ RELANCE_MAX_CSV_ROWS: '2' }, 'import', 'customers', customers);
    expect(rows.code).toBe(1);
    expect(rows.stderr).toContain('more than 2 rows (the limit for one file)');
    const long = ws.file('long.csv', 'code;name;kind;email', `L1;${'x'.repeat(5000)};company;l1@example.test`);
    const refused = await ws.run('import', 'customers', long, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).issues[0]).toMatchObject({ line: 2, field: 'name' });
    expect(JSON.parse(refused.stdout).issues[0].reason).toMatch(/longer than 200/);
    const statement = ws.file('releve.csv', 'Date;Libellé;Montant', '01/03/2026;VIR A;10,00', '02/03/2026;VIR B;5,00');
    const bank = await ws.runWith({ RELANCE_MAX_CSV_ROWS: '1' }, 'import', 'bank', statement);
    expect(bank.code).toBe(1);
    expect(bank.stderr).toContain('releve.csv: too many lines (the limit for one file is 1).');
    const listed = JSON.parse((await ws.run('customers', 'list', '--json')).stdout) as unknown[];
    expect(listed).toEqual([]);
  }, 60_000);
});

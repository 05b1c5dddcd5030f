import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Papa from 'papaparse';
import { writeDemoCsv } from '../src/demo/write-demo-csv.ts';
import { importCsv } from '../src/import/run-import.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore } from '../src/storage/database.ts';
import { customerIndex } from '../src/storage/customers.ts';
import { newId } from '../src/shared/ids.ts';
import { DATA_DIR, machine, rate, timed, writeResult } from './support.ts';

export type ImportBenchOptions = { invoices: number; customers: number; seed: number };

/**
 * CSV import of the demo invoices into a fresh SQLite file, beside the ceiling: the same rows inserted
 * with one prepared better-sqlite3 statement in one transaction, no parsing, no checks, same indexes.
 */
export async function benchImport(options: ImportBenchOptions): Promise<Record<string, unknown>> {
  const dir = join(DATA_DIR, `demo-${options.invoices}-${options.customers}-${options.seed}`);
  if (!existsSync(join(dir, 'credit-notes.csv'))) {
    const { seconds } = await timed(() => writeDemoCsv(dir, { ...options, asOf: '2026-11-25' }));
    console.log(`generated CSV in ${seconds.toFixed(1)} s: ${dir}`);
  }
  const work = join(DATA_DIR, 'import-run');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const store = await openStore(join(work, 'import.db'));
  const company = await ensureDefaultCompany(store.db);
  const read = (name: string) => readFileSync(join(dir, name));
  const customers = await timed(() => importCsv(store.db, company.id, { kind: 'customers', fileName: 'customers.csv', bytes: read('customers.csv') }));
  const invoiceBytes = read('invoices.csv');
  const invoices = await timed(() => importCsv(store.db, company.id, { kind: 'invoices', fileName: 'invoices.csv', bytes: invoiceBytes }));
  const again = await timed(() => importCsv(store.db, company.id, { kind: 'invoices', fileName: 'invoices.csv', bytes: invoiceBytes }));
  const payments = await timed(() => importCsv(store.db, company.id, { kind: 'payments', fileName: 'payments.csv', bytes: read('payments.csv') }));
  await store.close();
  for (const r of [customers, invoices, again, payments]) {
    if (!r.result.committed || r.result.issueCount > 0) throw new Error(`import failed: ${JSON.stringify(r.result.issues.slice(0, 3))}`);
  }

  // The ceiling: the same invoice rows, already typed, inserted by one prepared better-sqlite3 statement
  // into the same migrated schema (same indexes, foreign keys on as in the app), same customers.
  const ceilingStore = await openStore(join(work, 'ceiling.db'));
  const ceilingCompany = await ensureDefaultCompany(ceilingStore.db);
  await importCsv(ceilingStore.db, ceilingCompany.id, { kind: 'customers', fileName: 'customers.csv', bytes: read('customers.csv') });
  const ids = await customerIndex(ceilingStore.db, ceilingCompany.id);
  await ceilingStore.close();
  const raw = new BetterSqlite3(join(work, 'ceiling.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('cache_size = -65536');
  const parsed = Papa.parse<string[]>(invoiceBytes.toString('utf8'), { skipEmptyLines: true }).data.slice(1);
  const values = parsed.map((r) => [ceilingCompany.id, newId(), r[0], ids.get(r[1]!)!.id, r[2], r[3], r[5],
    Math.round(Number(r[6]) * 100), Math.round(Number(r[4]) * 100), 0, r[7], r[8], 'issued', 0, '', '']);
  const insert = raw.prepare(`insert into invoices (company_id, id, number, customer_id, issue_date, due_date, currency,
    total_excl_tax, total, allocated, title, sales_rep, status, disputed, created_at, updated_at)
    values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const start = performance.now();
  raw.transaction(() => { for (const v of values) insert.run(v); })();
  const ceilingSeconds = (performance.now() - start) / 1000;
  raw.close();

  const n = invoices.result.rows;
  const result = {
    invoices: n,
    customers: customers.result.rows,
    customerImportSeconds: customers.seconds,
    invoiceImportSeconds: invoices.seconds,
    invoiceImportRate: n / invoices.seconds,
    reimportSeconds: again.seconds,
    reimportUnchanged: again.result.unchanged,
    paymentRows: payments.result.rows,
    paymentImportSeconds: payments.seconds,
    rawInsertSeconds: ceilingSeconds,
    rawInsertRate: n / ceilingSeconds,
    ratioToCeiling: ceilingSeconds / invoices.seconds,
  };
  const md = `# Import benchmark (SQLite)

Machine: ${machine()}. Data: demo generator, ${n.toLocaleString('en-US')} invoices, ${customers.result.rows.toLocaleString('en-US')} customers, seed ${options.seed}.

| step | time | rate |
|---|---|---|
| customers CSV import | ${customers.seconds.toFixed(2)} s | ${rate(customers.result.rows, customers.seconds)} |
| **invoices CSV import** (parse, check, upsert, one transaction) | ${invoices.seconds.toFixed(2)} s | **${rate(n, invoices.seconds)}** |
| same invoices file again (all unchanged) | ${again.seconds.toFixed(2)} s | ${rate(n, again.seconds)} |
| payments CSV import (${payments.result.rows.toLocaleString('en-US')} rows, allocation checks) | ${payments.seconds.toFixed(2)} s | ${rate(payments.result.rows, payments.seconds)} |
| ceiling: raw better-sqlite3 prepared insert of the same typed rows, same schema, foreign keys on | ${ceilingSeconds.toFixed(2)} s | ${rate(n, ceilingSeconds)} |

Import speed is ${(100 * ceilingSeconds / invoices.seconds).toFixed(0)} % of the raw insert ceiling. Target: ≥ 100,000 rows/s.
`;
  writeResult('import', md, result);
  console.log(md);
  return result;
}

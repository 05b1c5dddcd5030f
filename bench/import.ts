import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Papa from 'papaparse';
import { writeDemoCsv } from '../src/demo/write-demo-csv.ts';
import { importCsv, type ImportKind } from '../src/import/run-import.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { checkpointsSettled } from '../src/storage/bulk.ts';
import { openStore } from '../src/storage/database.ts';
import { customerIndex } from '../src/storage/customers.ts';
import { newId } from '../src/shared/ids.ts';
import { DATA_DIR, machine, rate, timed, writeResult } from './support.ts';
import { systemActor } from '../src/shared/actor.ts';

export type ImportBenchOptions = { invoices: number; customers: number; seed: number };

type Measure = { seconds: number; cpuSeconds: number };

/** Wall and CPU seconds of this process: on the shared machine the wall time also measures the others' load. */
async function measured<T>(work: () => Promise<T> | T): Promise<Measure & { result: T }> {
  const cpu = process.cpuUsage();
  const { result, seconds } = await timed(async () => work());
  const used = process.cpuUsage(cpu);
  return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/**
 * CSV import of the demo invoices into a fresh SQLite file, beside two ceilings: the same rows, already
 * typed, inserted with one prepared better-sqlite3 statement in one transaction into the same migrated
 * schema (no parsing, no checks), first into the indexed table, then as the import does for a large file
 * (indexes dropped, rows inserted, indexes built again, same page cache).
 */
export async function benchImport(options: ImportBenchOptions): Promise<Record<string, unknown>> {
  const dir = join(DATA_DIR, `demo-${options.invoices}-${options.customers}-${options.seed}`);
  if (!existsSync(join(dir, 'credit-notes.csv'))) {
    const { seconds } = await timed(() => writeDemoCsv(dir, { ...options, asOf: '2026-11-25' }));
    console.log(`generated CSV in ${seconds.toFixed(1)} s: ${dir}`);
  }
  // Its own folder, and the files read at once: another run (or a clean-up of bench/data) cannot pull them away.
  const work = mkdtempSync(join(tmpdir(), 'relance-import-bench-'));
  const files = Object.fromEntries(
    ['customers.csv', 'invoices.csv', 'payments.csv'].map((name) => [name, readFileSync(join(dir, name))]),
  );
  const read = (name: string) => files[name]!;
  const load = loadavg()[0]!;

  const store = await openStore(join(work, 'import.db'));
  const company = await ensureDefaultCompany(store.db);
  const importFile = (kind: ImportKind, name: string, bytes = read(name)) =>
    measured(() => importCsv(store.db, systemActor(company.id), { kind, fileName: name, bytes }));
  const customers = await importFile('customers', 'customers.csv');
  // The customers' own checkpoint runs on another thread: left to end, so that its CPU is not counted as the invoices'.
  await checkpointsSettled();
  const invoiceBytes = read('invoices.csv');
  const invoices = await importFile('invoices', 'invoices.csv', invoiceBytes);
  // After a large import the write-ahead log is copied into the database file by a worker thread; timed
  // apart, from the moment the import returned.
  const checkpoint = await measured(() => checkpointsSettled());
  const again = await importFile('invoices', 'invoices.csv', invoiceBytes);
  const payments = await importFile('payments', 'payments.csv');
  await store.close();
  for (const r of [customers, invoices, again, payments]) {
    if (!r.result.committed || r.result.issueCount > 0)
      throw new Error(`import failed: ${JSON.stringify(r.result.issues.slice(0, 3))}`);
  }

  const ceilingStore = await openStore(join(work, 'ceiling.db'));
  const ceilingCompany = await ensureDefaultCompany(ceilingStore.db);
  await importCsv(ceilingStore.db, systemActor(ceilingCompany.id), {
    kind: 'customers',
    fileName: 'customers.csv',
    bytes: read('customers.csv'),
  });
  const ids = await customerIndex(ceilingStore.db, ceilingCompany.id);
  await ceilingStore.close();
  const parsed = Papa.parse<string[]>(invoiceBytes.toString('utf8'), { skipEmptyLines: true }).data.slice(1);
  const now = new Date().toISOString();
  const values = parsed.map((r) => [
    ceilingCompany.id,
    newId(),
    r[0],
    ids.get(r[1]!)!.id,
    r[2],
    r[3],
    r[5],
    Math.round(Number(r[6]) * 100),
    Math.round(Number(r[4]) * 100),
    0,
    r[7],
    r[8],
    'issued',
    0,
    now,
    now,
  ]);
  const ceiling = (file: string, cacheKib: number, rebuild: boolean) => {
    rmSync(file, { force: true });
    const copy = new BetterSqlite3(join(work, 'ceiling.db'));
    copy.exec(`vacuum into '${file}'`);
    copy.close();
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    // The bulk ceiling works as the import does: no per-row foreign-key lookup, checkpoint left out.
    raw.pragma(`foreign_keys = ${rebuild ? 'OFF' : 'ON'}`);
    if (rebuild) raw.pragma('wal_autocheckpoint = 0');
    raw.pragma(`cache_size = -${cacheKib}`);
    raw.pragma('temp_store = memory');
    const insert =
      raw.prepare(`insert into invoices (company_id, id, number, customer_id, issue_date, due_date, currency,
      total_excl_tax, total, allocated, title, sales_rep, status, disputed, created_at, updated_at)
      values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    const indexes = raw
      .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'invoices' and sql is not null")
      .all() as { name: string; sql: string }[];
    const measure = measured(() =>
      raw.transaction(() => {
        if (rebuild) for (const index of indexes) raw.exec(`drop index ${index.name}`);
        for (const v of values) insert.run(v);
        if (rebuild) for (const index of indexes) raw.exec(index.sql);
      })(),
    );
    raw.close();
    return measure;
  };
  const plain = await ceiling(join(work, 'ceiling-plain.db'), 65_536, false);
  const bulk = await ceiling(join(work, 'ceiling-bulk.db'), 1_048_576, true);
  const best = plain.cpuSeconds < bulk.cpuSeconds ? plain : bulk;

  const n = invoices.result.rows;
  const m = payments.result.rows;
  const result = {
    invoices: n,
    customers: customers.result.rows,
    loadAverage: load,
    customerImportSeconds: customers.seconds,
    invoiceImportSeconds: invoices.seconds,
    invoiceImportCpuSeconds: invoices.cpuSeconds,
    invoiceImportRate: n / invoices.seconds,
    invoiceImportCpuRate: n / invoices.cpuSeconds,
    checkpointSeconds: checkpoint.seconds,
    reimportSeconds: again.seconds,
    reimportCpuSeconds: again.cpuSeconds,
    reimportUnchanged: again.result.unchanged,
    paymentRows: m,
    paymentImportSeconds: payments.seconds,
    paymentImportCpuSeconds: payments.cpuSeconds,
    rawInsertSeconds: plain.seconds,
    rawInsertCpuSeconds: plain.cpuSeconds,
    rawInsertRate: n / plain.seconds,
    rawInsertCpuRate: n / plain.cpuSeconds,
    rawBulkSeconds: bulk.seconds,
    rawBulkCpuSeconds: bulk.cpuSeconds,
    rawBulkCpuRate: n / bulk.cpuSeconds,
    // Against the faster ceiling, in CPU time (wall time here depends on the others' load).
    ratioToCeiling: best.cpuSeconds / invoices.cpuSeconds,
  };
  const line = (label: string, rows: number, r: Measure, bold = false) => {
    const b = bold ? '**' : '';
    return `| ${label} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${rate(rows, r.seconds)} | ${b}${rate(rows, r.cpuSeconds)}${b} |`;
  };
  const md = `# Import benchmark (SQLite)

Machine: ${machine()}, load average ${load.toFixed(1)} at the start (shared: the wall time includes waiting for a core, the CPU time does not).
Data: demo generator, ${n.toLocaleString('en-US')} invoices, ${customers.result.rows.toLocaleString('en-US')} customers, seed ${options.seed}.

| step | wall | CPU | rate (wall) | rate (CPU) |
|---|---|---|---|---|
${line('customers CSV import', customers.result.rows, customers)}
${line('**invoices CSV import** (parse, check, upsert, one transaction; indexes built again)', n, invoices, true)}
${line('then, in a worker thread: the write-ahead log copied into the database file (checkpoint)', n, checkpoint)}
${line('same invoices file again (all unchanged)', n, again)}
${line(`payments CSV import (${m.toLocaleString('en-US')} rows, allocation checks)`, m, payments)}
${line('ceiling: raw better-sqlite3 prepared insert of the same typed rows, same schema and indexes, foreign keys on', n, plain)}
${line('ceiling, as the import does it: indexes dropped, raw insert, indexes built again, 1 GiB cache, no foreign-key lookups, checkpoint left out', n, bulk)}

The import takes ${(100 * result.ratioToCeiling).toFixed(0)} % of the faster ceiling's speed (CPU time). Target: ≥ 85 %.
`;
  rmSync(work, { recursive: true, force: true });
  writeResult('import', md, result);
  console.log(md);
  return result;
}

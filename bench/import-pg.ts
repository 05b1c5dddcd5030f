import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeDemoCsv } from '../src/demo/write-demo-csv.ts';
import { importCsv, type ImportKind } from '../src/import/run-import.ts';
import { systemActor } from '../src/shared/actor.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { customerIndex } from '../src/storage/customers.ts';
import { openStore } from '../src/storage/database.ts';
import { copyCreditNotes, copyInvoices, copyPayments, typedRows } from './copy-ceiling.ts';
import type { ImportBenchOptions } from './import.ts';
import { BackendCpu, costOf, named, type Measured } from './pg-cpu.ts';
import { DATA_DIR, machine, rate, writeResult } from './support.ts';

const BASE = process.env.RELANCE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const IMPORT_APP = 'relance_bench_import';
const CEILING_APP = 'relance_bench_ceiling';

const target = (schema: string) => `${BASE}${BASE.includes('?') ? '&' : '?'}schema=${schema}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/**
 * The CSV import on PostgreSQL (`npm run bench -- import --pg`): the demo files into a fresh schema, each beside its
 * raw COPY ceiling (bench/copy-ceiling.ts: the same rows already typed, COPY FROM STDIN into the same migrated
 * tables, one set-based UPDATE of the invoices for settlements, one transaction each, then the plain ANALYZE issue 22
 * requires of every bulk write). Ratios are of CPU time, this
 * process's plus that of the PostgreSQL backends doing the work (read from /proc: wall time on this shared machine
 * measures the neighbours), or of wall time when the server is not local.
 */
export async function benchImportPg(options: ImportBenchOptions): Promise<Record<string, unknown>> {
  const dir = join(DATA_DIR, `demo-${options.invoices}-${options.customers}-${options.seed}`);
  if (!existsSync(join(dir, 'credit-notes.csv'))) await writeDemoCsv(dir, { ...options, asOf: '2026-11-25' });
  const read = (name: string) => readFileSync(join(dir, name));
  const load = loadavg()[0]!;
  const size = `${options.invoices}_${options.customers}_${options.seed}`;
  const schemas = { imported: `bench_import_${size}`, ceiling: `bench_import_ceiling_${size}` };
  for (const schema of Object.values(schemas)) await dropSchema(schema);
  const files = { invoices: read('invoices.csv'), payments: read('payments.csv'), notes: read('credit-notes.csv') };
  try {
    // The ceiling's schema first (its customers by the import, unmeasured; the typed rows made beforehand), so that
    // each import is measured right before its ceiling: on this shared machine a neighbour's load comes and goes,
    // and measured minutes apart (every import, then every ceiling) the two did not meet the same weather.
    const ceilingStore = await openStore(target(schemas.ceiling));
    const ceilingCompany = await ensureDefaultCompany(ceilingStore.db);
    await importCsv(ceilingStore.db, systemActor(ceilingCompany.id), {
      kind: 'customers',
      fileName: 'customers.csv',
      bytes: read('customers.csv'),
    });
    const typed = typedRows(ceilingCompany.id, await customerIndex(ceilingStore.db, ceilingCompany.id), files);
    await ceilingStore.close();
    const client = new pg.Client({ connectionString: named(BASE, CEILING_APP) });
    await client.connect();
    await client.query(`set search_path to ${schemas.ceiling}`);
    const ceilingCpu = await BackendCpu.open(BASE, CEILING_APP);

    const store = await openStore(named(target(schemas.imported), IMPORT_APP));
    const cpu = await BackendCpu.open(BASE, IMPORT_APP);
    const company = await ensureDefaultCompany(store.db);
    const importFile = async (kind: ImportKind, bytes: Buffer) => {
      const measured = await cpu.timed(() =>
        importCsv(store.db, systemActor(company.id), { kind, fileName: `${kind}.csv`, bytes }),
      );
      if (!measured.result.committed || measured.result.issueCount > 0)
        throw new Error(`import failed: ${JSON.stringify(measured.result.issues.slice(0, 3))}`);
      return measured;
    };
    const customers = await importFile('customers', read('customers.csv'));
    const invoices = await importFile('invoices', files.invoices);
    const ceiling = await ceilingCpu.timed(() => copyInvoices(client, typed));
    const again = await importFile('invoices', files.invoices);
    const payments = await importFile('payments', files.payments);
    const paymentCeiling = await ceilingCpu.timed(() => copyPayments(client, typed));
    const notes = await importFile('credit-notes', files.notes);
    const noteCeiling = await ceilingCpu.timed(() => copyCreditNotes(client, typed));
    // What the import pays after its commit for the planner and the visibility map, measured on the ceiling's tables.
    const refresh = await ceilingCpu.timed(() => client.query('vacuum (analyze) invoices, payments, allocations'));
    await cpu.close();
    await store.close();
    await ceilingCpu.close();
    await client.end();

    const n = invoices.result.rows;
    const m = payments.result.rows;
    const k = notes.result.rows;
    const ratio = (reference: Measured<unknown>, measured: Measured<unknown>) => costOf(reference) / costOf(measured);
    const cpuOf = (r: Measured<unknown>) => (r.serverCpuSeconds === null ? null : r.cpuSeconds + r.serverCpuSeconds);
    const result = {
      engine: 'PostgreSQL',
      invoices: n,
      customers: customers.result.rows,
      loadAverage: load,
      ratiosOf: invoices.serverCpuSeconds === null ? 'wall time' : 'CPU time, client and server',
      customerImportSeconds: customers.seconds,
      invoiceImportSeconds: invoices.seconds,
      invoiceImportCpuSeconds: cpuOf(invoices),
      invoiceImportRate: n / invoices.seconds,
      reimportSeconds: again.seconds,
      reimportUnchanged: again.result.unchanged,
      paymentRows: m,
      paymentImportSeconds: payments.seconds,
      paymentImportCpuSeconds: cpuOf(payments),
      paymentImportRate: m / payments.seconds,
      creditNoteRows: k,
      creditNoteImportSeconds: notes.seconds,
      creditNoteImportCpuSeconds: cpuOf(notes),
      rawCopySeconds: ceiling.seconds,
      rawCopyCpuSeconds: cpuOf(ceiling),
      // bench/all.ts reads the ceiling under the SQLite run's name.
      rawInsertRate: n / ceiling.seconds,
      ratioToCeiling: ratio(ceiling, invoices),
      wallRatioToCeiling: ceiling.seconds / invoices.seconds,
      rawPaymentSeconds: paymentCeiling.seconds,
      rawPaymentCpuSeconds: cpuOf(paymentCeiling),
      rawPaymentRate: m / paymentCeiling.seconds,
      paymentRatioToCeiling: ratio(paymentCeiling, payments),
      rawCreditNoteSeconds: noteCeiling.seconds,
      rawCreditNoteCpuSeconds: cpuOf(noteCeiling),
      creditNoteRatioToCeiling: ratio(noteCeiling, notes),
      refreshSeconds: refresh.seconds,
      refreshCpuSeconds: cpuOf(refresh),
    };
    const cell = (r: Measured<unknown>) => {
      const c = cpuOf(r);
      return c === null ? '—' : `${c.toFixed(2)} s (server ${r.serverCpuSeconds!.toFixed(2)} s)`;
    };
    const line = (label: string, rows: number, r: Measured<unknown>, bold = false) => {
      const b = bold ? '**' : '';
      return `| ${label} | ${b}${r.seconds.toFixed(2)} s${b} | ${cell(r)} | ${rate(rows, r.seconds)} |`;
    };
    const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
    const md = `# Import benchmark (PostgreSQL)

Machine: ${machine()}, load average ${load.toFixed(1)} at the start. PostgreSQL at ${new URL(BASE).host}, schemas of their own.
Data: demo generator, ${n.toLocaleString('en-US')} invoices, ${customers.result.rows.toLocaleString('en-US')} customers, seed ${options.seed}.
CPU = this process's CPU time plus that of the PostgreSQL backends serving it (from /proc); ratios are of ${result.ratiosOf}.

| step | wall | CPU | rate (wall) |
|---|---|---|---|
${line('customers CSV import', customers.result.rows, customers)}
${line('**invoices CSV import** (parse, check, COPY, one transaction, then VACUUM (ANALYZE))', n, invoices, true)}
${line('same invoices file again (all unchanged)', n, again)}
${line(`payments CSV import (${m.toLocaleString('en-US')} rows, allocation checks, then VACUUM (ANALYZE))`, m, payments)}
${line(`credit notes CSV import (${k.toLocaleString('en-US')} rows)`, k, notes)}
${line('ceiling: raw COPY FROM STDIN of the same typed invoices, same schema and indexes, one transaction, then ANALYZE', n, ceiling)}
${line('ceiling: raw COPY of the typed payments and allocations, one set-based UPDATE of the invoices, then ANALYZE of the three', m, paymentCeiling)}
${line('ceiling: raw COPY of the typed credit notes and allocations, one set-based UPDATE, then ANALYZE of the credit notes', k, noteCeiling)}
${line('VACUUM (ANALYZE) of the ceiling\u2019s invoices, payments and allocations (what the imports pay after commit)', n + m, refresh)}

Each ceiling ends with the plain ANALYZE issue 22 requires of every bulk write, of the tables statistics.ts's rule has the import analyse (without statistics, or changed by a tenth or more); the imports' VACUUM beyond it, for the visibility map, counts against them (the last row: what it costs).

Against the raw COPY ceiling: invoices ${pct(result.ratioToCeiling)}, payments ${pct(result.paymentRatioToCeiling)}, credit notes ${pct(result.creditNoteRatioToCeiling)} (wall-time ratio for invoices ${pct(result.wallRatioToCeiling)}). Target: ≥ 85 %.
`;
    writeResult('import-pg', md, result);
    console.log(md);
    return result;
  } finally {
    for (const schema of Object.values(schemas)) await dropSchema(schema);
  }
}

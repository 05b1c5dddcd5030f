import { existsSync, readFileSync } from 'node:fs';
import { systemActor } from '../src/shared/actor.ts';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeDemoCsv } from '../src/demo/write-demo-csv.ts';
import { importCsv, type ImportKind } from '../src/import/run-import.ts';
import { newId } from '../src/shared/ids.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { customerIndex } from '../src/storage/customers.ts';
import { openStore } from '../src/storage/database.ts';
import { copyText } from '../src/storage/pg-copy.ts';
import type { ImportBenchOptions } from './import.ts';
import { DATA_DIR, machine, rate, timed, writeResult } from './support.ts';

const BASE = process.env.RELANCE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const COLUMNS = `company_id, id, number, customer_id, issue_date, due_date, currency, total_excl_tax, total, allocated,
  title, sales_rep, status, disputed, created_at, updated_at`;

const target = (schema: string) => `${BASE}${BASE.includes('?') ? '&' : '?'}schema=${schema}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/**
 * The CSV import on PostgreSQL (`npm run bench -- import --pg`): the demo files into a fresh schema, beside the raw
 * COPY ceiling, the same rows already typed streamed by pg-copy-streams into the same migrated table in one
 * transaction (no parsing, no checks). The work is the server's, so the ratio is of wall time.
 */
export async function benchImportPg(options: ImportBenchOptions): Promise<Record<string, unknown>> {
  const dir = join(DATA_DIR, `demo-${options.invoices}-${options.customers}-${options.seed}`);
  if (!existsSync(join(dir, 'credit-notes.csv'))) await writeDemoCsv(dir, { ...options, asOf: '2026-11-25' });
  const read = (name: string) => readFileSync(join(dir, name));
  const load = loadavg()[0]!;
  const size = `${options.invoices}_${options.customers}_${options.seed}`;
  const schemas = { imported: `bench_import_${size}`, ceiling: `bench_import_ceiling_${size}` };
  for (const schema of Object.values(schemas)) await dropSchema(schema);
  try {
    const store = await openStore(target(schemas.imported));
    const company = await ensureDefaultCompany(store.db);
    const importFile = (kind: ImportKind, name: string, bytes: Buffer) =>
      timed(() => importCsv(store.db, systemActor(company.id), { kind, fileName: name, bytes }));
    const invoiceBytes = read('invoices.csv');
    const customers = await importFile('customers', 'customers.csv', read('customers.csv'));
    const invoices = await importFile('invoices', 'invoices.csv', invoiceBytes);
    const again = await importFile('invoices', 'invoices.csv', invoiceBytes);
    const payments = await importFile('payments', 'payments.csv', read('payments.csv'));
    await store.close();
    for (const r of [customers, invoices, again, payments]) {
      if (!r.result.committed || r.result.issueCount > 0)
        throw new Error(`import failed: ${JSON.stringify(r.result.issues.slice(0, 3))}`);
    }

    const ceilingStore = await openStore(target(schemas.ceiling));
    const ceilingCompany = await ensureDefaultCompany(ceilingStore.db);
    await importCsv(ceilingStore.db, systemActor(ceilingCompany.id), {
      kind: 'customers',
      fileName: 'customers.csv',
      bytes: read('customers.csv'),
    });
    const ids = await customerIndex(ceilingStore.db, ceilingCompany.id);
    await ceilingStore.close();
    const now = new Date().toISOString();
    const values = Papa.parse<string[]>(invoiceBytes.toString('utf8'), { skipEmptyLines: true })
      .data.slice(1)
      .map((r) => [
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
        r[7] || null,
        r[8] || null,
        'issued',
        0,
        now,
        now,
      ]);
    const client = new pg.Client({ connectionString: BASE });
    await client.connect();
    await client.query(`set search_path to ${schemas.ceiling}`);
    const ceiling = await timed(async () => {
      await client.query('begin');
      await pipeline(
        Readable.from([copyText(values)]),
        client.query(copyFrom(`copy invoices (${COLUMNS.replace(/\s+/g, ' ')}) from stdin`)),
      );
      await client.query('commit');
    });
    await client.end();

    const n = invoices.result.rows;
    const m = payments.result.rows;
    const result = {
      engine: 'PostgreSQL',
      invoices: n,
      customers: customers.result.rows,
      loadAverage: load,
      customerImportSeconds: customers.seconds,
      invoiceImportSeconds: invoices.seconds,
      invoiceImportRate: n / invoices.seconds,
      reimportSeconds: again.seconds,
      reimportUnchanged: again.result.unchanged,
      paymentRows: m,
      paymentImportSeconds: payments.seconds,
      rawCopySeconds: ceiling.seconds,
      // bench/all.ts reads the ceiling under the SQLite run's name.
      rawInsertRate: n / ceiling.seconds,
      ratioToCeiling: ceiling.seconds / invoices.seconds,
    };
    const line = (label: string, rows: number, seconds: number, bold = false) => {
      const b = bold ? '**' : '';
      return `| ${label} | ${b}${seconds.toFixed(2)} s${b} | ${rate(rows, seconds)} |`;
    };
    const md = `# Import benchmark (PostgreSQL)

Machine: ${machine()}, load average ${load.toFixed(1)} at the start. PostgreSQL at ${new URL(BASE).host}, schemas of their own.
Data: demo generator, ${n.toLocaleString('en-US')} invoices, ${customers.result.rows.toLocaleString('en-US')} customers, seed ${options.seed}.

| step | wall | rate |
|---|---|---|
${line('customers CSV import', customers.result.rows, customers.seconds)}
${line('**invoices CSV import** (parse, check, COPY into a fresh table, one transaction, then ANALYZE)', n, invoices.seconds, true)}
${line('same invoices file again (all unchanged)', n, again.seconds)}
${line(`payments CSV import (${m.toLocaleString('en-US')} rows, allocation checks)`, m, payments.seconds)}
${line('ceiling: raw COPY FROM STDIN (pg-copy-streams) of the same typed rows, same schema and indexes, one transaction', n, ceiling.seconds)}

The import takes ${(100 * result.ratioToCeiling).toFixed(0)} % of the raw COPY ceiling's speed (wall time). Target: ≥ 85 %.
`;
    writeResult('import-pg', md, result);
    console.log(md);
    return result;
  } finally {
    for (const schema of Object.values(schemas)) await dropSchema(schema);
  }
}

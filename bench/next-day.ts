import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { loadDemo } from '../src/demo/load-demo.ts';
import { runDunning } from '../src/dunning/run-dunning.ts';
import { checkpointsSettled } from '../src/storage/bulk.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore, rawQuery } from '../src/storage/database.ts';
import { isPostgres } from '../src/storage/migrations/column-types.ts';
import { copyCachedLedger, engineName, resultName } from './served-ledger.ts';
import { BackendCpu, named } from './pg-cpu.ts';
import { DATA_DIR, machine, timed, writeResult } from './support.ts';

const FIRST = '2026-11-25';
const NEXT = '2026-11-26';
/** The application name of the run's connections, by which the server's backends are found (pg-cpu.ts). */
const BACKENDS = 'relance_bench_next_day';

/** A writable ledger of that size: a copy of the cached SQLite file, or a PostgreSQL schema loaded afresh. */
async function workLedger(options: { invoices: number; customers: number; seed: number; pg?: boolean }) {
  if (!options.pg) {
    const file = join(DATA_DIR, 'next-day.db');
    await copyCachedLedger(options, file);
    return { target: file, base: null, drop: async () => rmSync(file, { force: true }) };
  }
  const base = process.env.RELANCE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_next_day_${options.invoices}_${options.customers}_${options.seed}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  await drop();
  return { target: named(`${base}${base.includes('?') ? '&' : '?'}schema=${schema}`, BACKENDS), base, drop };
}

/**
 * The next day's automatic run: on the demo ledger, a first automatic run examines every open invoice and dates
 * its next step; the run of the day after must then cost what is due that day (the issue's 1,888 invoices of 1M),
 * not the size of the ledger. Beside it, the same-run reference: one hand-written query reading those invoices
 * with their customers' holds. Statements and rows read count the fixed costs that wall time on a shared machine
 * hides.
 */
export async function benchNextDay(options: {
  invoices: number;
  customers: number;
  seed: number;
  pg?: boolean;
}): Promise<Record<string, unknown>> {
  const work = await workLedger(options);
  let compiled: CompiledQuery[] | null = null;
  // Time per statement of the next day's run, by the statement's text (the fixed costs a total hides).
  const spent = new Map<string, { ms: number; count: number }>();
  const store = await openStore(work.target, {
    onQuery: (query, milliseconds) => {
      if (!compiled) return;
      compiled.push(query);
      const key = query.sql.replace(/\s+/g, ' ').slice(0, 90);
      const entry = spent.get(key) ?? { ms: 0, count: 0 };
      entry.ms += milliseconds;
      entry.count += 1;
      spent.set(key, entry);
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'relance-bench-next-day-'));
  try {
    const company = await ensureDefaultCompany(store.db);
    if (options.pg)
      await loadDemo(store.db, company.id, {
        invoices: options.invoices,
        customers: options.customers,
        seed: options.seed,
        asOf: FIRST,
      });
    // The first run starts from a ledger on which no step was ever dated: the served benchmarks store the next-action
    // dates of the lists they read (as of the day they run) in the cached file this one is copied from.
    await store.db
      .updateTable('invoices')
      .set({ next_action_date: null, dunning_category: null, category_until: null })
      .where('company_id', '=', company.id)
      .execute();
    const first = await timed(() => runDunning(store.db, company.id, { date: FIRST, kind: 'automatic', dataDir }));
    // The day before is over by the next day: its write-ahead log is in the database file (checkpoint worker).
    await checkpointsSettled();
    const due = `from invoices i join customers c on c.company_id = i.company_id and c.id = i.customer_id
      where i.company_id = '${company.id}' and i.status = 'issued' and i.allocated < i.total`;
    const dateOf = isPostgres(store.db) ? `'${NEXT}'::date` : `'${NEXT}'`;
    const columns = `i.id, i.number, i.customer_id, i.due_date, i.total, i.allocated, i.updated_at, c.policy_id,
      c.dunning_paused_until, c.dunning_blocked_reason`;
    const reference = `select ${columns} ${due} and i.next_action_date is null
      union all select ${columns} ${due} and i.next_action_date <= ${dateOf}`;
    await rawQuery(store.db, reference);
    const sqlRead = await timed(async () => (await rawQuery(store.db, reference)).length);

    let rows = 0;
    const counted = store.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        rows += args.result.rows.length;
        return args.result;
      },
    });
    compiled = [];
    // On PostgreSQL the server's CPU too: the backends' work is most of a run's cost there.
    const backends = work.base === null ? null : await BackendCpu.open(work.base, BACKENDS);
    const nextRun = () => runDunning(counted, company.id, { date: NEXT, kind: 'automatic', dataDir });
    const next = backends
      ? await backends.timed(nextRun).finally(() => backends.close())
      : { ...(await timed(nextRun)), serverCpuSeconds: null };
    const statements = compiled.length;
    compiled = null;
    const slowest = [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8);
    // On SQLite the run leaves the copy of its write-ahead log into the database file to the checkpoint worker:
    // measured apart, as the import benchmark does, since it runs on the other core once the run has returned.
    const checkpoint = await timed(() => checkpointsSettled());
    const result = {
      engine: engineName(options.pg),
      invoices: options.invoices,
      firstRunSeconds: first.seconds,
      firstRunReminders: first.result.reminders,
      dueNextDay: sqlRead.result,
      nextDaySeconds: next.seconds,
      nextDayCpuSeconds: next.cpuSeconds,
      nextDayServerCpuSeconds: next.serverCpuSeconds,
      checkpointAfterSeconds: checkpoint.seconds,
      nextDayReminders: next.result.reminders,
      nextDayItems: next.result.plan.items.length,
      statements,
      slowestStatements: slowest.map(([sql, { ms, count }]) => ({ sql, ms: Math.round(ms), count })),
      rowsRead: rows,
      bestSqlSeconds: sqlRead.seconds,
      load: loadavg(),
    };
    const md = `# Next day's automatic run (${engineName(options.pg)})

Machine: ${machine()}. Demo ledger: ${options.invoices.toLocaleString('en-US')} invoices. A first automatic run on ${FIRST}
examines every open invoice and dates its next step; the automatic run of ${NEXT} then reads only what is due.

| step | figure |
|---|---|
| first automatic run (every open invoice; records ${first.result.reminders.toLocaleString('en-US')} reminders) | ${first.seconds.toFixed(2)} s |
| hand-written SQL reading the ${sqlRead.result.toLocaleString('en-US')} invoices due on ${NEXT} with their customers | ${sqlRead.seconds.toFixed(3)} s |
| **next day's automatic run** (${next.result.plan.items.length.toLocaleString('en-US')} invoices examined, ${next.result.reminders} reminders recorded) | **${next.seconds.toFixed(3)} s** (CPU ${next.cpuSeconds.toFixed(3)} s${next.serverCpuSeconds === null ? '' : `, server CPU ${next.serverCpuSeconds.toFixed(3)} s`}; target ≤ 0.5 s at 1M) |
| its statements and rows read | ${statements.toLocaleString('en-US')} statements, ${rows.toLocaleString('en-US')} rows |
| then, on the checkpoint worker's thread, the rest of its write-ahead log copied into the database file | ${checkpoint.seconds.toFixed(3)} s |

Its slowest statements (time from sending to the last row, as the driver saw it):

| statement | ms | times |
|---|---|---|
${slowest.map(([sql, { ms, count }]) => `| \`${sql.replace(/\|/g, '\\|')}…\` | ${ms.toFixed(0)} | ${count} |`).join('\n')}
`;
    writeResult(resultName('next-day', options.pg), md, result);
    console.log(md);
    return result;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    await work.drop();
  }
}

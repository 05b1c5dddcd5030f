import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { addUser, issueApiToken } from '../src/accounts/auth.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { SALES_REPS } from '../src/demo/generator.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore } from '../src/storage/database.ts';
import { findUserByEmail } from '../src/storage/users.ts';
import { BENCH_DIR, machine, timed, writeResult } from './support.ts';

const CACHE_DIR = join(BENCH_DIR, '.cache');
const AS_OF = '2026-11-25';
const CONNECTIONS = 100;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The API under load: `relance serve` in its own process on the same cached demo ledger as the api
 * benchmark, 100 autocannon connections for 60 s (10 s with --quick), each request a random one of the
 * collector's everyday reads (invoice lists with each filter, totals, categories, customers, reminders,
 * outbox, runs). Every response time is kept, so p99 is exact; any error, timeout or non-2xx fails it.
 */
export async function benchLoad(options: { invoices: number; customers: number; seed: number; seconds: number }): Promise<Record<string, unknown>> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `api-${options.invoices}-${options.customers}-${options.seed}.db`);
  const store = await openStore(file);
  const company = await ensureDefaultCompany(store.db);
  if (!(await store.db.selectFrom('customers').select('id').where('company_id', '=', company.id).limit(1).executeTakeFirst())) {
    const { seconds } = await timed(() => loadDemo(store.db, company.id, { ...options, asOf: AS_OF }));
    console.log(`demo data loaded in ${seconds.toFixed(1)} s into ${file} (kept for the next runs)`);
  }
  const email = 'bench@relance.local';
  const user = await findUserByEmail(store.db, email) ?? (await addUser(store.db, company.id, { email, role: 'admin',
    password: 'bench-password-123' })).user;
  const { token } = await issueApiToken(store.db, company.id, { userId: user.id, name: 'load' });
  await store.close();

  const port = 40_000 + Math.floor(Math.random() * 1000);
  const server = spawn(process.execPath, ['bin/relance.js', '--db', file, 'serve', '--port', String(port), '--log-level', 'warn'],
    { cwd: join(BENCH_DIR, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    server.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('relance API on')) ready(); });
    server.once('exit', (code) => fail(new Error(`relance serve exited with ${code}`)));
  });
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const customerCode = () => `C${String(1 + Math.floor(Math.random() * options.customers)).padStart(6, '0')}`;
  const month = () => `2026-${String(1 + Math.floor(Math.random() * 11)).padStart(2, '0')}`;
  const paths: (() => string)[] = [
    () => `/api/v1/invoices?limit=50&status=overdue&asOf=${AS_OF}`,
    () => `/api/v1/invoices?limit=50&salesRep=${encodeURIComponent(pick(SALES_REPS))}`,
    () => `/api/v1/invoices?limit=50&customer=${customerCode()}`,
    () => { const m = month(); return `/api/v1/invoices?limit=50&sort=dueDate&dueFrom=${m}-01&dueTo=${m}-28`; },
    () => `/api/v1/invoices/totals?customer=${customerCode()}`,
    () => `/api/v1/customers?limit=50&q=${encodeURIComponent(pick(['SARL', 'Martin', 'Dupont', 'SAS', 'Bernard']))}`,
    () => `/api/v1/reminders?limit=50`,
    () => `/api/v1/outbox?limit=50`,
    () => `/api/v1/runs`,
  ];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let result: autocannon.Result;
  try {
    result = await new Promise<autocannon.Result>((done, fail) => {
      const instance = autocannon({
        url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: options.seconds, timeout: 30,
        headers: { authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (request) => ({ ...request, path: pick(paths)() }) }],
      }, (error, outcome) => (error ? fail(error) : done(outcome)));
      instance.on('response', (_client, status, _bytes, time) => {
        latencies.push(time);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
    });
  } finally {
    server.kill('SIGTERM');
  }
  latencies.sort((a, b) => a - b);
  const non2xx = [...statuses].filter(([s]) => s < 200 || s >= 300).reduce((n, [, c]) => n + c, 0);
  const errors = result.errors + result.timeouts;
  const figures = { invoices: options.invoices, customers: options.customers, connections: CONNECTIONS, seconds: options.seconds,
    requests: latencies.length, throughput: latencies.length / options.seconds, p50: percentile(latencies, 50),
    p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0, errors, non2xx,
    statuses: Object.fromEntries(statuses), loadAverage: loadavg().map((l) => l.toFixed(1)).join(' / '), pass: errors === 0 && non2xx === 0 };
  const md = `# Load: the API under ${CONNECTIONS} concurrent clients (SQLite)

Machine: ${machine()}. Ledger: ${options.invoices.toLocaleString('en-US')} demo invoices, ${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}).
${CONNECTIONS} connections for ${options.seconds} s, each request one of ${paths.length} everyday reads picked at random (invoice lists by
status, sales rep, customer and due-date range, totals, customer search, reminders, outbox, runs). Load average at the end: ${figures.loadAverage}.

| requests | throughput | p50 | p95 | **p99** | max | errors + timeouts | non-2xx |
|---|---|---|---|---|---|---|---|
| ${figures.requests} | ${figures.throughput.toFixed(0)} req/s | ${figures.p50.toFixed(0)} ms | ${figures.p95.toFixed(0)} ms | **${figures.p99.toFixed(0)} ms** | ${figures.max.toFixed(0)} ms | ${errors} | ${non2xx} |

No error: **${figures.pass ? 'met' : 'NOT met'}** (statuses: ${JSON.stringify(figures.statuses)}).
`;
  writeResult('load', md, figures);
  console.log(md);
  return figures;
}

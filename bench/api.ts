import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { SALES_REPS } from '../src/demo/generator.ts';
import { machine, writeResult } from './support.ts';
import { AS_OF, benchToken, engineName, openCachedLedger, resultName, startServe } from './served-ledger.ts';
import { BackendCpu, named } from './pg-cpu.ts';

const CONNECTIONS = 32;
const BACKENDS = 'relance-bench-api';

export type Scenario = { name: string; path: () => string };
export type Measured = {
  name: string;
  requests: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  serverCpuMsPerRequest: number;
  /** On PostgreSQL: the CPU of the database backends serving the server, per request (the SQL's share of the work). */
  databaseCpuMsPerRequest?: number;
};

/** CPU time (user + system) the process has used so far, from /proc: the server's own work, whatever else loads the machine. */
export function processCpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function fire(
  url: string,
  token: string,
  scenario: Scenario,
  seconds: number,
  serverPid?: number,
  connections = CONNECTIONS,
  backends?: BackendCpu,
): Promise<Measured> {
  const latencies: number[] = [];
  let non2xx = 0;
  const cpuBefore = serverPid === undefined ? 0 : processCpuMs(serverPid);
  const run = () =>
    new Promise<autocannon.Result>((done, fail) => {
      const instance = autocannon(
        {
          url,
          connections,
          duration: seconds,
          headers: { authorization: `Bearer ${token}` },
          requests: [{ setupRequest: (request) => ({ ...request, path: scenario.path() }) }],
        },
        (error, outcome) => (error ? fail(error) : done(outcome)),
      );
      instance.on('response', (_client, status, _bytes, time) => {
        latencies.push(time);
        if (status < 200 || status >= 300) non2xx++;
      });
    });
  const measured = backends ? await backends.timed(run) : null;
  const result = measured ? measured.result : await run();
  const cpu = serverPid === undefined ? 0 : processCpuMs(serverPid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return {
    name: scenario.name,
    requests: latencies.length,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    errors: result.errors + result.timeouts,
    non2xx,
    serverCpuMsPerRequest: latencies.length > 0 ? cpu / latencies.length : 0,
    ...(measured?.serverCpuSeconds != null && latencies.length > 0
      ? { databaseCpuMsPerRequest: (measured.serverCpuSeconds * 1000) / latencies.length }
      : {}),
  };
}

/** Parts of the demo's customer names (faker's French surnames), as typed: small letters, no accents. */
const NAME_PARTS = [
  'dupont',
  'martin',
  'bernard',
  'petit',
  'durand',
  'lefevre',
  'moreau',
  'girard',
  'fournier',
  'mercier',
  'boyer',
  'roussel',
  'gauthier',
  'lemaire',
  'noel',
];

/**
 * The invoice list under load: `relance serve` in its own process on the cached 1M-invoice demo ledger
 * (SQLite), autocannon with 32 connections from this process, one filter per scenario, pages of 50.
 * p95 is computed from every response time, not autocannon's histogram buckets.
 */
export function apiScenarios(customers: number): Scenario[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const customerCode = () => `C${String(1 + Math.floor(Math.random() * customers)).padStart(6, '0')}`;
  const month = () => `2026-${String(1 + Math.floor(Math.random() * 11)).padStart(2, '0')}`;
  const digit = () => String(Math.floor(Math.random() * 10));
  return [
    { name: 'status=overdue', path: () => `/api/v1/invoices?limit=50&status=overdue&asOf=${AS_OF}` },
    {
      name: 'salesRep=<one of 6>',
      path: () => `/api/v1/invoices?limit=50&salesRep=${encodeURIComponent(pick(SALES_REPS))}`,
    },
    { name: 'customer=<random code>', path: () => `/api/v1/invoices?limit=50&customer=${customerCode()}` },
    {
      name: 'due-date range (one month), sorted by due date',
      path: () => {
        const m = month();
        return `/api/v1/invoices?limit=50&sort=dueDate&dueFrom=${m}-01&dueTo=${m}-28`;
      },
    },
    // The search box: an invoice number's start (a month's invoices, a hundred of its sequence), a customer
    // code's start (ten customers), part of a name typed without its accents (the demo's French surnames).
    { name: 'search: number prefix', path: () => `/api/v1/invoices?limit=50&q=FC26${month().slice(5)}00${digit()}` },
    {
      name: 'search: customer code',
      path: () =>
        `/api/v1/invoices?limit=50&q=C${String(Math.floor((Math.random() * customers) / 10)).padStart(5, '0')}`,
    },
    { name: 'search: part of a name', path: () => `/api/v1/invoices?limit=50&q=${pick(NAME_PARTS)}` },
  ];
}

export async function benchApi(options: {
  invoices: number;
  customers: number;
  seed: number;
  seconds?: number;
  pg?: boolean;
}): Promise<unknown> {
  const { file, store, company } = await openCachedLedger(options);
  const token = await benchToken(store, company.id, 'bench');
  await store.close();
  // On PostgreSQL the server's connections carry an application name, so that the CPU of the backends running its
  // SQL (most of a search's work there) is read beside the serving process's.
  const { url, server } = await startServe(options.pg ? named(file, BACKENDS) : file, { portBase: 39_000 });
  const backends = options.pg ? await BackendCpu.open(file.split('?')[0]!, BACKENDS) : undefined;
  const scenarios = apiScenarios(options.customers);
  const measured: Measured[] = [];
  try {
    await fire(url, token, scenarios[0]!, 3); // warm the page cache and the JIT
    for (const scenario of scenarios) {
      const m = await fire(url, token, scenario, options.seconds ?? 15, server.pid, CONNECTIONS, backends);
      const database =
        m.databaseCpuMsPerRequest === undefined
          ? ''
          : `, database CPU ${m.databaseCpuMsPerRequest.toFixed(2)} ms/request`;
      console.log(
        `${m.name}: ${m.throughput.toFixed(0)} req/s, server CPU ${m.serverCpuMsPerRequest.toFixed(2)} ms/request${database}, ` +
          `p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}`,
      );
      measured.push(m);
    }
  } finally {
    server.kill('SIGTERM');
    await backends?.close();
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const pass = measured.every((m) => m.p95 <= 50 && m.non2xx === 0 && m.errors === 0);
  const md = `# API benchmark: listing and searching invoices (${engineName(options.pg)})

Machine: ${machine()}. Ledger: ${options.invoices.toLocaleString('en-US')} demo invoices, ${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}).
\`relance serve\` in one process, autocannon with ${CONNECTIONS} connections in another, API token auth, pages of 50, one filter each,
${options.seconds ?? 15} s per scenario after a 3 s warm-up. Load average at the end (1/5/15 min): ${load} on this shared machine. Target: p95 ≤ 50 ms — **${pass ? 'met' : 'NOT met'}**.
Server CPU is the serving process's user + system time (/proc) over the scenario divided by its responses: what a request
costs whatever else loads the machine.${options.pg ? " Database CPU is the same for the PostgreSQL backends of the server's connections (found by application name)." : ''}

| filter | throughput | server CPU / request |${options.pg ? ' database CPU / request |' : ''} p50 | p95 | p99 | max | non-2xx |
|---|---|---|${options.pg ? '---|' : ''}---|---|---|---|---|
${measured.map((m) => `| ${m.name} | ${m.throughput.toFixed(0)} req/s | ${m.serverCpuMsPerRequest.toFixed(2)} ms |${m.databaseCpuMsPerRequest === undefined ? '' : ` ${m.databaseCpuMsPerRequest.toFixed(2)} ms |`} ${m.p50.toFixed(1)} ms | **${m.p95.toFixed(1)} ms** | ${m.p99.toFixed(1)} ms | ${m.max.toFixed(0)} ms | ${m.non2xx + m.errors} |`).join('\n')}
`;
  writeResult(resultName('api', options.pg), md, {
    loadAverage: load,
    invoices: options.invoices,
    customers: options.customers,
    connections: CONNECTIONS,
    pass,
    scenarios: measured,
  });
  console.log(md);
  return measured;
}

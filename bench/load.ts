import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { SALES_REPS } from '../src/demo/generator.ts';
import { machine, writeResult } from './support.ts';
import { AS_OF, benchToken, engineName, openCachedLedger, resultName, startServe } from './served-ledger.ts';

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
export async function benchLoad(options: {
  invoices: number;
  customers: number;
  seed: number;
  seconds: number;
  pg?: boolean;
}): Promise<Record<string, unknown>> {
  const { file, store, company } = await openCachedLedger(options);
  const token = await benchToken(store, company.id, 'load');
  await store.close();
  // On PostgreSQL, two `relance serve` processes share the database, each taking half of the clients: what
  // several servers behind a load balancer do (docs/SCALING.md).
  const servers = await Promise.all(
    Array.from({ length: options.pg ? 2 : 1 }, () => startServe(file, { portBase: 40_000 })),
  );
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const customerCode = () => `C${String(1 + Math.floor(Math.random() * options.customers)).padStart(6, '0')}`;
  const month = () => `2026-${String(1 + Math.floor(Math.random() * 11)).padStart(2, '0')}`;
  const paths: (() => string)[] = [
    () => `/api/v1/invoices?limit=50&status=overdue&asOf=${AS_OF}`,
    () => `/api/v1/invoices?limit=50&salesRep=${encodeURIComponent(pick(SALES_REPS))}`,
    () => `/api/v1/invoices?limit=50&customer=${customerCode()}`,
    () => {
      const m = month();
      return `/api/v1/invoices?limit=50&sort=dueDate&dueFrom=${m}-01&dueTo=${m}-28`;
    },
    () => `/api/v1/invoices/totals?customer=${customerCode()}`,
    () => `/api/v1/customers?limit=50&q=${encodeURIComponent(pick(['SARL', 'Martin', 'Dupont', 'SAS', 'Bernard']))}`,
    () => `/api/v1/reminders?limit=50`,
    () => `/api/v1/outbox?limit=50`,
    () => `/api/v1/runs`,
  ];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let results: autocannon.Result[];
  try {
    results = await Promise.all(
      servers.map(
        ({ url }) =>
          new Promise<autocannon.Result>((done, fail) => {
            const instance = autocannon(
              {
                url,
                connections: CONNECTIONS / servers.length,
                duration: options.seconds,
                timeout: 30,
                headers: { authorization: `Bearer ${token}` },
                requests: [{ setupRequest: (request) => ({ ...request, path: pick(paths)() }) }],
              },
              (error, outcome) => (error ? fail(error) : done(outcome)),
            );
            instance.on('response', (_client, status, _bytes, time) => {
              latencies.push(time);
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
            });
          }),
      ),
    );
  } finally {
    for (const { server } of servers) server.kill('SIGTERM');
  }
  // Then the daily work on several servers: their schedulers and outbox workers on one database (two-servers.ts).
  const daily = options.pg ? await (await import('./two-servers.ts')).benchTwoServers() : null;
  latencies.sort((a, b) => a - b);
  const non2xx = [...statuses].filter(([s]) => s < 200 || s >= 300).reduce((n, [, c]) => n + c, 0);
  const errors = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
  const figures = {
    servers: servers.length,
    invoices: options.invoices,
    customers: options.customers,
    connections: CONNECTIONS,
    seconds: options.seconds,
    requests: latencies.length,
    throughput: latencies.length / options.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors,
    non2xx,
    statuses: Object.fromEntries(statuses),
    loadAverage: loadavg()
      .map((l) => l.toFixed(1))
      .join(' / '),
    daily,
    pass: errors === 0 && non2xx === 0 && (daily?.pass ?? true),
  };
  const md = `# Load: the API under ${CONNECTIONS} concurrent clients (${engineName(options.pg)})

Machine: ${machine()}. Ledger: ${options.invoices.toLocaleString('en-US')} demo invoices, ${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}).
${servers.length === 1 ? '`relance serve` in its own process' : `${servers.length} \`relance serve\` processes on the same database, each taking ${CONNECTIONS / servers.length} of the clients`}.
${CONNECTIONS} connections for ${options.seconds} s, each request one of ${paths.length} everyday reads picked at random (invoice lists by
status, sales rep, customer and due-date range, totals, customer search, reminders, outbox, runs). Load average at the end: ${figures.loadAverage}.

| requests | throughput | p50 | p95 | **p99** | max | errors + timeouts | non-2xx |
|---|---|---|---|---|---|---|---|
| ${figures.requests} | ${figures.throughput.toFixed(0)} req/s | ${figures.p50.toFixed(0)} ms | ${figures.p95.toFixed(0)} ms | **${figures.p99.toFixed(0)} ms** | ${figures.max.toFixed(0)} ms | ${errors} | ${non2xx} |

No error: **${errors === 0 && non2xx === 0 ? 'met' : 'NOT met'}** (statuses: ${JSON.stringify(figures.statuses)}).
${
  daily
    ? `
## The daily work on two servers

Two \`relance serve\` processes with their schedulers on a database of ${daily.companies} companies in automatic mode, whose
run time had passed (each a demo ledger: both are named as the demo's company): both catch up the day's run at start. After ${daily.seconds.toFixed(0)} s, checked from the database and the SMTP sink:

| company | day | automatic runs | status |
|---|---|---|---|
${daily.automaticRuns.map((r) => `| ${r.company} | ${r.date} | ${r.runs} | ${r.status} |`).join('\n')}

Messages marked sent: ${daily.outboxSent}; accepted by the sink: ${daily.received}; the same Message-ID twice: ${daily.receivedTwice};
left to send: ${daily.outboxLeft}. One run per company and day, each message sent once: **${daily.pass ? 'met' : 'NOT met'}**.
`
    : ''
}`;
  writeResult(resultName('load', options.pg), md, figures);
  console.log(md);
  return figures;
}

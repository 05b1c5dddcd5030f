import { loadavg } from 'node:os';
import { issuePortalLink } from '../src/portal/portal-links.ts';
import { systemActor } from '../src/shared/actor.ts';
import { fire, type Measured } from './api.ts';
import { machine, writeResult } from './support.ts';
import { benchToken, engineName, openCachedLedger, resultName, startServe } from './served-ledger.ts';

const CONNECTIONS = 32;
const LINKS = 200;
/** A second run with a few visitors at once: the page's latency when the server is not saturated. */
const FEW = 4;

/**
 * The customer's payment page under load: `relance serve` in its own process on the cached demo ledger, autocannon
 * with 32 connections, each request the page of one of 200 customers picked at random (their links minted before).
 * The rate limit is lifted for the run (RELANCE_PORTAL_LIMIT), since every request comes from one address.
 */
export async function benchPortal(options: {
  invoices: number;
  customers: number;
  seed: number;
  seconds?: number;
  pg?: boolean;
}): Promise<unknown> {
  const { file, store, company } = await openCachedLedger(options);
  const token = await benchToken(store, company.id, 'bench');
  const customers = await store.db
    .selectFrom('customers')
    .select('code')
    .where('company_id', '=', company.id)
    .orderBy('code')
    .limit(LINKS)
    .execute();
  const paths: string[] = [];
  for (const c of customers) {
    const { url } = await issuePortalLink(store.db, systemActor(company.id, 'bench'), {
      customerCode: c.code,
      publicUrl: 'http://bench.invalid',
    });
    paths.push(new URL(url).pathname);
  }
  await store.close();
  process.env.RELANCE_PORTAL_LIMIT = '1000000000';
  const { url, server } = await startServe(file, {});
  const scenario = { name: 'GET /portal/<token>', path: () => paths[Math.floor(Math.random() * paths.length)]! };
  let measured: Measured;
  let few: Measured;
  try {
    await fire(url, token, scenario, 3);
    measured = await fire(url, token, scenario, options.seconds ?? 15, server.pid);
    few = {
      ...(await fire(url, token, scenario, options.seconds ?? 15, server.pid, FEW)),
      name: `${scenario.name}, ${FEW} connections`,
    };
  } finally {
    server.kill('SIGTERM');
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const m = measured;
  const pass = m.p95 <= 50 && m.non2xx === 0 && m.errors === 0;
  const md = `# Payment page benchmark (${engineName(options.pg)})

Machine: ${machine()}. Ledger: ${options.invoices.toLocaleString('en-US')} demo invoices, ${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}).
\`relance serve\` in one process, autocannon with ${CONNECTIONS} connections (then ${FEW}) in another, the page of one of ${LINKS} customers at random,
${options.seconds ?? 15} s each after a 3 s warm-up. Load average at the end (1/5/15 min): ${load} on this shared machine. Target: p95 ≤ 50 ms — **${pass ? 'met' : 'NOT met'}**.

| page | throughput | server CPU / request | p50 | p95 | p99 | max | non-2xx |
|---|---|---|---|---|---|---|---|
${[m, few].map((r) => `| ${r.name} | ${r.throughput.toFixed(0)} req/s | ${r.serverCpuMsPerRequest.toFixed(2)} ms | ${r.p50.toFixed(1)} ms | **${r.p95.toFixed(1)} ms** | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(0)} ms | ${r.non2xx + r.errors} |`).join('\n')}
`;
  writeResult(resultName('portal', options.pg), md, {
    loadAverage: load,
    connections: CONNECTIONS,
    pass,
    scenario: m,
    fewConnections: few,
  });
  console.log(md);
  return m;
}

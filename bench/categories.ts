import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, issueApiToken } from '../src/accounts/auth.ts';
import { addDays, todayIn } from '../src/domain/calendar.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { buildApp } from '../src/http/app.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore } from '../src/storage/database.ts';
import { BENCH_DIR, machine, writeResult } from './support.ts';

type Sample = { name: string; path: string; runs: number[] };

/**
 * The "Relances" categories on the 1M-invoice demo ledger (the API benchmark's cached database, copied so
 * the cache is left as it is): a full plan per request (what an `asOf` other than today still does, and
 * what every request did before the per-invoice cache), the one cold refresh after the cache is reset,
 * then today's counts, list pages and totals from the cache. In-process `inject`, one request at a time.
 */
export async function benchCategories(options: {
  invoices: number;
  customers: number;
  seed: number;
  repeat: number;
}): Promise<unknown> {
  const cached = join(BENCH_DIR, '.cache', `api-${options.invoices}-${options.customers}-${options.seed}.db`);
  const dir = mkdtempSync(join(tmpdir(), 'relance-categories-'));
  const file = join(dir, 'ledger.db');
  if (existsSync(cached)) copyFileSync(cached, file);
  const store = await openStore(file);
  try {
    const company = await ensureDefaultCompany(store.db);
    const today = todayIn(company.timeZone);
    if (
      !(await store.db
        .selectFrom('customers')
        .select('id')
        .where('company_id', '=', company.id)
        .limit(1)
        .executeTakeFirst())
    ) {
      await loadDemo(store.db, company.id, { ...options, asOf: today });
    }
    const { user } = await addUser(store.db, company.id, {
      email: `categories-${Date.now()}@relance.local`,
      role: 'admin',
      password: 'bench-password-123',
    });
    const { token } = await issueApiToken(store.db, company.id, { userId: user.id, name: 'categories' });
    const app = await buildApp({ db: store.db, dataDir: dir });
    const time = async (path: string): Promise<{ ms: number; body: string }> => {
      const started = performance.now();
      const response = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
      if (response.statusCode !== 200)
        throw new Error(`${path}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      return { ms: performance.now() - started, body: response.body };
    };
    const samples: Sample[] = [];
    const measure = async (name: string, path: string, runs: number) => {
      const sample: Sample = { name, path, runs: [] };
      for (let i = 0; i < runs; i++) sample.runs.push((await time(path)).ms);
      samples.push(sample);
      console.log(`${name}: ${sample.runs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    };
    // Tomorrow is not today: those requests plan the whole ledger, as every request did before the cache.
    const other = addDays(today, 1);
    await measure('full plan per request: counts (asOf tomorrow)', `/api/v1/invoices/categories?asOf=${other}`, 2);
    await measure(
      'full plan per request: page of level-1 (asOf tomorrow)',
      `/api/v1/invoices?category=level-1&limit=50&asOf=${other}`,
      2,
    );
    await store.db
      .updateTable('invoices')
      .set({ next_action_date: null })
      .where('company_id', '=', company.id)
      .execute();
    await measure(
      'cache: cold refresh (every open invoice planned and stored) + counts',
      '/api/v1/invoices/categories',
      1,
    );
    const counts = JSON.parse((await time('/api/v1/invoices/categories')).body) as {
      categories: { key: string; count: number }[];
    };
    const biggest = [...counts.categories].sort((a, b) => b.count - a.count)[0]?.key ?? 'level-1';
    await measure('cache: counts per category', '/api/v1/invoices/categories', options.repeat);
    await measure(`cache: first page of ${biggest}`, `/api/v1/invoices?category=${biggest}&limit=50`, options.repeat);
    await measure(
      'cache: page of an empty category (level-9)',
      '/api/v1/invoices?category=level-9&limit=50',
      options.repeat,
    );
    await measure(`cache: totals of ${biggest}`, `/api/v1/invoices/totals?category=${biggest}`, options.repeat);
    await app.close();
    const median = (runs: number[]) => {
      const sorted = [...runs].sort((a, b) => a - b);
      const mid = sorted.length / 2;
      return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
    };
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    const md = `# "Relances" categories on ${options.invoices.toLocaleString('en-US')} invoices (SQLite)

Machine: ${machine()}. Load average at the end (1/5/15 min): ${load} on this shared machine. Categories: ${counts.categories
      .map((c) => `${c.key} ${c.count.toLocaleString('en-US')}`)
      .join(', ')}.
In-process requests one at a time (fastify inject), API token auth, times in ms.

| request | min | median | max | runs |
|---|---|---|---|---|
${samples
  .map(
    (s) =>
      `| ${s.name} | ${Math.min(...s.runs).toFixed(0)} | ${median(s.runs).toFixed(0)} | ${Math.max(...s.runs).toFixed(0)} | ${
        s.runs.length
      } |`,
  )
  .join('\n')}
`;
    writeResult('categories', md, {
      loadAverage: load,
      invoices: options.invoices,
      categories: counts.categories,
      samples: samples.map((s) => ({ ...s, median: median(s.runs) })),
    });
    console.log(md);
    return samples;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

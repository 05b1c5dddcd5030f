import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { addUser, issueApiToken } from '../src/accounts/auth.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import type { Company } from '../src/domain/ledger.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore, type Store } from '../src/storage/database.ts';
import { findUserByEmail } from '../src/storage/users.ts';
import { BENCH_DIR, timed } from './support.ts';

/** The benchmarks of the HTTP side (api, load, web) share one generated ledger, kept between runs. */
export const CACHE_DIR = join(BENCH_DIR, '.cache');
export const AS_OF = '2026-11-25';

export type LedgerOptions = {
  invoices: number;
  customers: number;
  seed: number;
  /** On PostgreSQL (`--pg`) instead of SQLite. */
  pg?: boolean;
};

/**
 * With `pg` the served benchmarks run on PostgreSQL: RELANCE_BENCH_PG (by default the test server's `test`
 * database), in a schema of their own per ledger size (bench_<invoices>_<customers>_<seed>), kept between runs
 * like the SQLite file and never one of the test suite's schemas.
 */
export const engineName = (pg?: boolean) => (pg ? 'PostgreSQL' : 'SQLite');
/** Results of a PostgreSQL run are written beside the SQLite ones, as `<name>-pg`. */
export const resultName = (name: string, pg?: boolean) => (pg ? `${name}-pg` : name);

function ledgerTarget(options: LedgerOptions): string {
  if (!options.pg) return join(CACHE_DIR, `api-${options.invoices}-${options.customers}-${options.seed}.db`);
  const base = process.env.RELANCE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  return `${base}${base.includes('?') ? '&' : '?'}schema=bench_${options.invoices}_${options.customers}_${options.seed}`;
}

/** Opens the cached demo ledger of that size, generating it on first use. The caller closes the store. */
export async function openCachedLedger(
  options: LedgerOptions,
): Promise<{ file: string; store: Store; company: Company }> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = ledgerTarget(options);
  const store = await openStore(file);
  const company = await ensureDefaultCompany(store.db);
  if (
    !(await store.db
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', company.id)
      .limit(1)
      .executeTakeFirst())
  ) {
    const { seconds } = await timed(() =>
      loadDemo(store.db, company.id, {
        invoices: options.invoices,
        customers: options.customers,
        seed: options.seed,
        asOf: AS_OF,
      }),
    );
    console.log(`demo data loaded in ${seconds.toFixed(1)} s into ${file} (kept for the next runs)`);
  }
  // The statistics `relance serve` gathers at start (bounded ANALYZE), so that every copy plans its queries alike
  // whether or not a served benchmark ran first: without them one of the aging benchmark's SQL forms took minutes.
  if (!options.pg) {
    await sql`pragma analysis_limit = 1000`.execute(store.db);
    await sql`pragma optimize = 0x10002`.execute(store.db);
  }
  return { file, store, company };
}

/**
 * A private copy of the cached ledger at `file`, generating the cache first if need be: a benchmark that
 * writes or migrates its ledger copies it instead of loading the demo again (one generation per size and
 * seed, which is what keeps `npm run bench -- --quick` short from a clean clone).
 */
export async function copyCachedLedger(options: LedgerOptions, file: string): Promise<void> {
  const { file: cached, store } = await openCachedLedger(options);
  await store.close();
  // Pages still in the write-ahead log would be missing from a copy of the main file alone.
  const native = new BetterSqlite3(cached);
  try {
    native.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    native.close();
  }
  mkdirSync(dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  copyFileSync(cached, file);
}

/** An API token of the benchmark's admin user. */
export async function benchToken(store: Store, companyId: string, name: string): Promise<string> {
  const email = 'bench@relance.local';
  const user =
    (await findUserByEmail(store.db, email)) ??
    (await addUser(store.db, companyId, { email, role: 'admin', password: 'bench-password-123' })).user;
  return (await issueApiToken(store.db, companyId, { userId: user.id, name })).token;
}

/**
 * `relance serve` on that database in its own process, so the client's work is not counted as the server's. It listens
 * on a port the system picks (a random one in a fixed range collided with other benchmarks running beside it), read
 * back from its first line; `portBase` is no longer used.
 */
export async function startServe(
  file: string,
  options: { portBase?: number; web?: string; scheduler?: boolean; log?: string },
): Promise<{ url: string; server: ChildProcess }> {
  // --no-scheduler unless asked: serve would otherwise catch up today's automatic run at start, recording reminders in
  // the shared cached ledger and planning it while the clients measure.
  const server = spawn(
    process.execPath,
    [
      'bin/relance.js',
      '--db',
      file,
      'serve',
      '--port',
      '0',
      '--log-level',
      options.log ?? 'warn',
      ...(options.scheduler ? [] : ['--no-scheduler']),
      ...(options.web ? ['--web', options.web] : []),
    ],
    { cwd: join(BENCH_DIR, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ready, fail) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const announced = /relance API on (http:\/\/\S+?)\/api\/v1/.exec(out);
      if (announced) ready(announced[1]!);
    });
    server.once('exit', (code) => fail(new Error(`relance serve exited with ${code}`)));
  });
  return { url, server };
}

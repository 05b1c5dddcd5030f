/**
 * `npm run bench -- <name…> [--quick] [--check] [--pg] [--invoices N] [--customers N]`; with no name, every benchmark (with --quick,
 * those the issues name) and bench/results/latest.md; --pg runs import, plan, aging, next-day, mail, api, load and portal on PostgreSQL too
 * (with --quick, import, plan, aging and mail; any of them alone when named). Results go to bench/results/<name>.md and .json.
 */
const args = process.argv.slice(2);
// The benchmarks' SMTP sinks and servers listen on the loopback, which relance refuses to reach unless the
// installation allows it (src/shared/outbound.ts); the child processes inherit this.
process.env.RELANCE_OUTBOUND_ALLOW ??= '127.0.0.1,::1,localhost';
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const quick = args.includes('--quick');
const invoices = flag('invoices', quick ? 50_000 : 1_000_000);
const customers = flag('customers', quick ? 5_000 : 100_000);
const seed = flag('seed', 1);
// Only these flags take a value: `--quick aging` names the aging benchmark.
const VALUED = new Set(['--invoices', '--customers', '--seed', '--letters', '--seconds', '--load-seconds', '--repeat']);
const names = args.filter((a, i) => !a.startsWith('--') && !VALUED.has(args[i - 1] ?? ''));
// Each module is loaded when its benchmark runs: loading them all (Playwright, the web build, the HTTP app) took
// seconds before the first one started. Quick durations are the shortest that still give a stable ratio (CI runs --quick).
const benchmarks: Record<string, (pg: boolean) => Promise<unknown>> = {
  import: async (pg) =>
    pg
      ? (await import('./import-pg.ts')).benchImportPg({ invoices, customers, seed })
      : (await import('./import.ts')).benchImport({ invoices, customers, seed }),
  plan: async (pg) => (await import('./plan.ts')).benchPlan({ invoices, customers, seed, quick, pg }),
  aging: async (pg) => (await import('./aging.ts')).benchAging({ invoices, customers, seed, quick, pg }),
  'next-day': async (pg) => (await import('./next-day.ts')).benchNextDay({ invoices, customers, seed, pg }),
  letters: async () =>
    (await import('./letters.ts')).benchLetters({ letters: flag('letters', quick ? 300 : 2_000), seed }),
  mail: async (pg) => (await import('./mail.ts')).benchMail({ quick, pg }),
  api: async (pg) =>
    (await import('./api.ts')).benchApi({ invoices, customers, seed, seconds: flag('seconds', quick ? 1 : 15), pg }),
  load: async (pg) =>
    (await import('./load.ts')).benchLoad({
      invoices,
      customers,
      seed,
      seconds: flag('load-seconds', quick ? 4 : 60),
      pg,
    }),
  messages: async () =>
    (await import('./messages.ts')).benchMessages({
      invoices: flag('invoices', 40_000),
      customers: flag('customers', 4_000),
      seed,
    }),
  web: async () =>
    (await import('./web.ts')).benchWeb({ invoices, customers, seed, repeat: flag('repeat', quick ? 3 : 5) }),
  cli: async () => (await import('./cli.ts')).benchCli({ repeat: flag('repeat', quick ? 5 : 15) }),
  portal: async (pg) =>
    (await import('./portal.ts')).benchPortal({
      invoices,
      customers,
      seed,
      seconds: flag('seconds', quick ? 4 : 15),
      pg,
    }),
  categories: async () =>
    (await import('./categories.ts')).benchCategories({
      invoices,
      customers,
      seed,
      repeat: flag('repeat', quick ? 3 : 7),
    }),
};
// The quick run (CI's, under 2 minutes from a clean clone) is the benchmarks with floors; the full run adds the
// screens' and templates' benchmarks, which have no reference to be a ratio of.
const QUICK = ['import', 'plan', 'aging', 'letters', 'mail', 'api', 'load'];
// What runs on PostgreSQL with --pg (bench/support.ts says which and why the others do not); with --quick, those of
// QUICK_PG only.
const { ON_POSTGRES, QUICK_PG } = await import('./support.ts');
const pgFlag = args.includes('--pg');
const unknown = names.filter((n) => !(n in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const sqliteOnly = pgFlag ? names.filter((n) => !ON_POSTGRES.includes(n)) : [];
if (sqliteOnly.length > 0) {
  console.error(`${sqliteOnly.join(', ')} run on SQLite only; --pg runs ${ON_POSTGRES.join(', ')}`);
  process.exit(2);
}
// Named: each on the engine asked. Unnamed: each on SQLite, then with --pg those that run on PostgreSQL, so that
// latest.md shows the two engines side by side from one command.
const base = names.length > 0 ? names : quick ? QUICK : Object.keys(benchmarks);
const jobs: { name: string; pg: boolean }[] =
  names.length > 0
    ? names.map((name) => ({ name, pg: pgFlag }))
    : [
        ...base.map((name) => ({ name, pg: false })),
        ...(pgFlag
          ? base.filter((n) => (quick ? QUICK_PG : ON_POSTGRES).includes(n)).map((name) => ({ name, pg: true }))
          : []),
      ];
const since = Date.now();
const { cpuSecondsWithChildren } = await import('./support.ts');
const ran: { name: string; seconds: number; cpuSeconds: number | null; error?: string }[] = [];
const cpuSince = (start: number | null) => {
  const now = cpuSecondsWithChildren();
  return start === null || now === null ? null : now - start;
};
for (const job of jobs) {
  const name = job.pg ? `${job.name}-pg` : job.name;
  console.log(`== ${name}`);
  const started = performance.now();
  const cpu = cpuSecondsWithChildren();
  try {
    await benchmarks[job.name]!(job.pg);
    ran.push({ name, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSince(cpu) });
  } catch (error) {
    // With no name, a failing benchmark is reported in latest.md (and fails --check) instead of stopping the rest.
    if (names.length > 0) throw error;
    console.error(`${name} failed: ${(error as Error).stack}`);
    ran.push({
      name,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSince(cpu),
      error: (error as Error).message,
    });
  }
}
// With no name: one report of every benchmark, bench/results/latest.md (results/quick/ with --quick); --check fails on a ratio below its floor.
if (names.length === 0) {
  const { writeLatest } = await import('./all.ts');
  process.exitCode = writeLatest({
    quick,
    check: args.includes('--check'),
    ran,
    invoices,
    customers,
    since,
    wallSeconds: process.uptime(),
    cpuSeconds: cpuSecondsWithChildren(),
  });
}

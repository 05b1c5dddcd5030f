import { benchImport } from './import.ts';
import { benchMail } from './mail.ts';
import { benchPlan } from './plan.ts';
import { benchLetters } from './letters.ts';
import { benchApi } from './api.ts';
import { benchMessages } from './messages.ts';
import { benchLoad } from './load.ts';
import { writeLatest } from './all.ts';
import { benchAging } from './aging.ts';
import { benchWeb } from './web.ts';
import { benchCategories } from './categories.ts';

/**
 * `npm run bench -- <name…> [--quick] [--check] [--invoices N] [--customers N]`; with no name, every benchmark and bench/results/latest.md.
 * Results go to bench/results/<name>.md and .json.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const quick = args.includes('--quick');
const invoices = flag('invoices', quick ? 50_000 : 1_000_000);
const customers = flag('customers', quick ? 5_000 : 100_000);
const seed = flag('seed', 1);
const names = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const benchmarks: Record<string, () => Promise<unknown>> = {
  import: () => benchImport({ invoices, customers, seed }),
  plan: () => benchPlan({ invoices, customers, seed }),
  letters: () => benchLetters({ letters: flag('letters', quick ? 500 : 2_000), seed }),
  mail: () => benchMail({ quick, pg: args.includes('--pg') }),
  api: () => benchApi({ invoices, customers, seed, seconds: flag('seconds', quick ? 3 : 15) }),
  load: () => benchLoad({ invoices, customers, seed, seconds: flag('load-seconds', quick ? 10 : 60) }),
  messages: () => benchMessages({ invoices: flag('invoices', 40_000), customers: flag('customers', 4_000), seed }),
  aging: () => benchAging({ invoices, customers, seed, quick }),
  web: () => benchWeb({ invoices, customers, seed, repeat: flag('repeat', quick ? 3 : 5) }),
  categories: () => benchCategories({ invoices, customers, seed, repeat: flag('repeat', quick ? 3 : 7) }),
};
const unknown = names.filter((n) => !(n in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const since = Date.now();
const ran: { name: string; seconds: number; error?: string }[] = [];
for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
  console.log(`== ${name}`);
  const started = performance.now();
  try {
    await benchmarks[name]!();
    ran.push({ name, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    // With no name, a failing benchmark is reported in latest.md (and fails --check) instead of stopping the rest.
    if (names.length > 0) throw error;
    console.error(`${name} failed: ${(error as Error).stack}`);
    ran.push({ name, seconds: (performance.now() - started) / 1000, error: (error as Error).message });
  }
}
// With no name: one report of every benchmark, bench/results/latest.md (results/quick/ with --quick); --check fails on a ratio below its floor.
if (names.length === 0) process.exitCode = writeLatest({ quick, check: args.includes('--check'), ran, invoices, customers, since });

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const BENCH_DIR = new URL('.', import.meta.url).pathname;
export const DATA_DIR = join(BENCH_DIR, 'data');
// --quick figures (50k invoices) go beside, never over, the full ones.
export const RESULTS_DIR = join(BENCH_DIR, process.argv.includes('--quick') ? 'results/quick' : 'results');

/**
 * The benchmarks `--pg` runs on PostgreSQL (in bench_ schemas of RELANCE_BENCH_PG); letters, messages, web, cli and
 * categories measure the rendering and the screens, the same on either engine, and run on SQLite only.
 */
export const ON_POSTGRES = ['import', 'plan', 'aging', 'next-day', 'mail', 'api', 'load', 'portal'];
/**
 * What `--quick --pg` (CI, after the SQLite quick run) runs on PostgreSQL: the benchmarks with floors that fit the
 * run's time. The api benchmark has no floor, and load's check of two servers' daily work waits for their outbox
 * sweeps (a minute apart, about 100 s in all); `--pg` without --quick runs them.
 */
export const QUICK_PG = ['import', 'plan', 'aging', 'mail'];

export function machine(): string {
  return `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * CPU seconds of this process and of the children it has waited for (servers, sinks, Chromium once closed), from
 * /proc: wall time on this shared machine says more about the others' load than about the benchmark.
 */
export function cpuSecondsWithChildren(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
  } catch {
    return null;
  }
}

/** Wall seconds, and CPU seconds of this process (steadier on a shared machine for in-process, synchronous SQLite work). */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

export function rate(count: number, seconds: number): string {
  return `${Math.round(count / seconds).toLocaleString('en-US')}/s`;
}

/** Writes `<name>.md` and `<name>.json` under bench/results. */
export function writeResult(name: string, markdown: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown);
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const BENCH_DIR = new URL('.', import.meta.url).pathname;
export const DATA_DIR = join(BENCH_DIR, 'data');
// --quick figures (50k invoices) go beside, never over, the full ones.
export const RESULTS_DIR = join(BENCH_DIR, process.argv.includes('--quick') ? 'results/quick' : 'results');

export function machine(): string {
  return `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
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

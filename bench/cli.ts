import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledIsCurrent } from '../scripts/compiled-current.mjs';
import { cpuSecondsWithChildren, machine, writeResult } from './support.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/relance.js');

type Measure = { label: string; args: string[] };
type Figure = { label: string; wallMs: number; cpuMs: number | null };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * How long a CLI call takes to start: `relance --help` and `relance invoices list` on a small demo ledger,
 * beside `node -e 0` (Node's own start) measured in the same run, interleaved so the machine's load
 * weighs on all alike. Medians of wall and CPU time (children's CPU from /proc).
 */
export async function benchCli(options: { repeat: number }): Promise<void> {
  if (!compiledIsCurrent(ROOT))
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-cli-'));
  try {
    const db = join(dir, 'demo.db');
    execFileSync(process.execPath, [
      BIN,
      '--db',
      db,
      'demo',
      '--customers',
      '50',
      '--invoices',
      '500',
      '--date',
      '2026-06-30',
    ]);
    const measures: Measure[] = [
      { label: 'node -e 0', args: ['-e', '0'] },
      { label: 'relance --help', args: [BIN, '--help'] },
      { label: 'relance invoices list --open (500 invoices)', args: [BIN, '--db', db, 'invoices', 'list', '--open'] },
    ];
    const samples = new Map(measures.map((m) => [m.label, { wall: [] as number[], cpu: [] as number[] }]));
    for (let round = 0; round < options.repeat; round++) {
      for (const measure of measures) {
        const cpu = cpuSecondsWithChildren();
        const start = performance.now();
        const result = spawnSync(process.execPath, measure.args, { stdio: ['ignore', 'ignore', 'pipe'] });
        const wall = performance.now() - start;
        const after = cpuSecondsWithChildren();
        if (result.status !== 0) throw new Error(`${measure.label} failed: ${result.stderr}`);
        samples.get(measure.label)!.wall.push(wall);
        if (cpu !== null && after !== null) samples.get(measure.label)!.cpu.push((after - cpu) * 1000);
      }
    }
    const figures: Figure[] = measures.map(({ label }) => {
      const s = samples.get(label)!;
      return { label, wallMs: Math.round(median(s.wall)), cpuMs: s.cpu.length > 0 ? Math.round(median(s.cpu)) : null };
    });
    const base = figures[0]!;
    const ratio = (f: Figure) => (f.wallMs / base.wallMs).toFixed(2);
    const lines = figures.map((f) => `| ${f.label} | ${f.wallMs} | ${f.cpuMs ?? '—'} | ${ratio(f)}× |`);
    const help = figures[1]!;
    const markdown =
      `# CLI start-up\n\n${machine()}; median of ${options.repeat} interleaved runs, compiled lib/.\n\n` +
      '| command | wall ms | CPU ms | × node -e 0 (wall) |\n|---|---|---|---|\n' +
      `${lines.join('\n')}\n\nTarget: relance --help within 3× node -e 0: ${Number(ratio(help)) <= 3 ? 'met' : 'NOT met'} (${ratio(help)}×).\n`;
    console.log(markdown);
    writeResult('cli', markdown, { repeat: options.repeat, figures });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

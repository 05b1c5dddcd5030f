import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sideBySide, type EngineLine, type Line } from './side-by-side.ts';
import { machine, RESULTS_DIR } from './support.ts';

/**
 * `npm run bench` with no name runs every benchmark, then this writes one report of them:
 * bench/results/latest.md (bench/results/quick/latest.md with --quick, beside the quick per-benchmark files) with the machine, the versions, each figure
 * beside its reference measured in the same run, and the ratios. With --check it returns 1 when a ratio
 * falls below its floor (CI). Floors sit under the issues' targets: this shared 2-core machine swings
 * by 2× between runs, and a floor is meant to catch a regression, not the weather.
 */
type Json = Record<string, unknown>;

function read(name: string, since: number): Json | null {
  const path = join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(path)) return null;
  // Only results written by this run count; an old file would hide a benchmark that failed to run.
  if (statSync(path).mtimeMs < since) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

const n = (value: unknown, digits = 2) =>
  typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(value);

// Where a benchmark measured CPU time beside wall time, the ratio is of CPU time: the in-process SQLite work waits for
// the cores as long as the neighbours keep them, which moved the wall-time ratios 2× between quick runs.
const cpuOr = (cpu: unknown, wall: number) => (typeof cpu === 'number' && cpu > 0 ? cpu : wall);
// Floors as [full, quick]: the quick data set is 20× smaller, so fixed costs weigh more and the ratios are lower. The
// quick floors sit at about half the lowest of six quick runs on this machine under load ~12 (2026-11-25): import 0.47–0.58,
// plan 0.40–0.63, aging 0.64–0.85, letters 5.0–6.2, mail (CPU) 0.72–0.74.
// PostgreSQL's rows take floors of their own, [full, quick] again (`--quick --pg` runs in CI after the SQLite run), at
// about half the lowest quick PostgreSQL ratio of two runs on this machine under load 8-21 (2026-12-07): import 0.80,
// payments 0.82-0.83, credit notes 0.65-0.92, plan 0.47-0.58, aging 0.59-0.69, mail 0.43-0.51. The full floors are
// the same for want of full runs to set them from.
// The settlement imports are measured on PostgreSQL only: their floors catch a return of the per-row writes that made
// the payments import 9× slower than on SQLite.
const PG_FLOORS: Record<'import' | 'payments' | 'creditNotes' | 'plan' | 'aging' | 'mail', [number, number]> = {
  import: [0.4, 0.4],
  payments: [0.4, 0.4],
  creditNotes: [0.3, 0.3],
  plan: [0.25, 0.25],
  aging: [0.3, 0.3],
  mail: [0.2, 0.2],
};
const floor = (quick: boolean, floors: [number, number], pg = false, pgFloors?: [number, number]) =>
  (pg && pgFloors ? pgFloors : floors)[quick ? 1 : 0];

const LINES: Record<string, (j: Json, quick: boolean, pg: boolean) => Line[]> = {
  import: (j, quick, pg) => [
    {
      benchmark: 'import',
      figure: `${n(j.invoiceImportRate, 0)} invoices/s (CSV parse, check, upsert)`,
      reference:
        j.engine === 'PostgreSQL'
          ? `${n(j.rawInsertRate, 0)} rows/s raw COPY FROM STDIN (ratio of ${String(j.ratiosOf ?? 'wall time')})`
          : `${n(j.rawInsertRate, 0)} rows/s raw multi-row INSERT`,
      ratio: j.ratioToCeiling as number,
      target: '≥ 0.85',
      floor: floor(quick, [0.3, 0.25], pg, PG_FLOORS.import),
    },
    // PostgreSQL measures the settlements beside their own COPY ceiling too (bench/copy-ceiling.ts).
    ...(typeof j.paymentRatioToCeiling === 'number'
      ? [
          {
            benchmark: 'import payments',
            figure: `${n(j.paymentImportRate, 0)} payments/s (CSV, checks, allocations)`,
            reference: `${n(j.rawPaymentRate, 0)} rows/s raw COPY and one UPDATE (ratio of ${String(j.ratiosOf)})`,
            ratio: j.paymentRatioToCeiling,
            target: '≥ 0.85',
            floor: floor(quick, PG_FLOORS.payments),
          },
          {
            benchmark: 'import credit notes',
            figure: `${n(j.creditNoteRows, 0)} credit notes in ${n(j.creditNoteImportSeconds)} s`,
            reference: `raw COPY and one UPDATE ${n(j.rawCreditNoteSeconds)} s (ratio of ${String(j.ratiosOf)})`,
            ratio: j.creditNoteRatioToCeiling as number,
            target: '≥ 0.85',
            floor: floor(quick, PG_FLOORS.creditNotes),
          },
        ]
      : []),
  ],
  plan: (j, quick, pg) => [
    {
      benchmark: 'plan',
      figure: `plan ${n(j.planSeconds)} s${typeof j.planCpuSeconds === 'number' ? ` (CPU ${n(j.planCpuSeconds)} s)` : ''} (${n(j.planItems, 0)} items)`,
      reference: `best SQL ${n(j.bestSqlSeconds)} s${typeof j.bestSqlCpuSeconds === 'number' ? ` (CPU ${n(j.bestSqlCpuSeconds)} s)` : ''}`,
      ratio: cpuOr(j.bestSqlCpuSeconds, j.bestSqlSeconds as number) / cpuOr(j.planCpuSeconds, j.planSeconds as number),
      target: 'plan ≤ 1.5× SQL (ratio ≥ 0.67)',
      floor: floor(quick, [0.3, 0.25], pg, PG_FLOORS.plan),
    },
  ],
  aging: (j, quick, pg) =>
    ((j.cases as Json[] | undefined) ?? []).map((c) => ({
      benchmark: `aging ${c.date}`,
      figure: `agedBalance ${n(c.reportSeconds, 3)} s${typeof c.reportCpuSeconds === 'number' ? ` (CPU ${n(c.reportCpuSeconds, 3)} s)` : ''}`,
      reference: `best SQL ${n(c.bestSqlSeconds, 3)} s${typeof c.bestSqlCpuSeconds === 'number' ? ` (CPU ${n(c.bestSqlCpuSeconds, 3)} s)` : ''}`,
      ratio:
        cpuOr(c.bestSqlCpuSeconds, c.bestSqlSeconds as number) / cpuOr(c.reportCpuSeconds, c.reportSeconds as number),
      target: '≤ 1.5× SQL (ratio ≥ 0.67)',
      floor: floor(quick, [0.4, 0.4], pg, PG_FLOORS.aging),
    })),
  'next-day': (j) => [
    {
      benchmark: 'next-day run',
      figure: `${n(j.nextDaySeconds, 3)} s for ${n(j.nextDayItems, 0)} invoices due (${n(j.statements, 0)} statements, ${n(j.rowsRead, 0)} rows)`,
      reference: `hand SQL reading them ${n(j.bestSqlSeconds, 3)} s`,
      ratio: null,
      target: '≤ 0.5 s at 1M',
      floor: null,
    },
  ],
  // CPU time, not wall time: on this shared machine Chromium's renderer processes and ours wait for the cores differently.
  letters: (j, quick) => [
    {
      benchmark: `letters (${n(j.letters, 0)})`,
      figure: `pdfkit ${n(j.pdfkitLettersPerSecond, 0)} letters/s wall, ${n(j.pdfkitLettersPerCpuSecond, 0)}/CPU s`,
      reference:
        typeof j.chromiumLettersPerSecond === 'number'
          ? `Chromium page.pdf() ${n(j.chromiumLettersPerSecond, 0)}/s wall, ${n(j.chromiumLettersPerCpuSecond, 0)}/CPU s`
          : `Chromium ${String(j.chromium)}`,
      ratio: typeof j.cpuSpeedup === 'number' ? j.cpuSpeedup : null,
      target: '≥ 10× (wall, 2,000 letters)',
      // Quick: 2.8–3.4 on a quiet machine on 2026-12-07 (3.1 already at a1ac1c7, down from 5.0–6.2 on 2026-11-25,
      // cause not found yet); a floor at 3 failed one run in three without any change to the letters.
      floor: floor(quick, [3, 2.5]),
    },
  ],
  mail: (j, quick, pg) => [
    {
      benchmark: 'mail',
      figure: `outbox ${n(j.outboxPerSecond, 0)} e-mails/s`,
      // On PostgreSQL the ratio counts the CPU of the backends serving the outbox too (bench/mail.ts).
      reference: `raw pooled nodemailer ${n(j.rawPerSecond, 0)}/s${typeof j.totalCpuRatio === 'number' ? ` (rate ratio ${n(j.ratio)}; ratio of CPU per e-mail, PostgreSQL backends included)` : typeof j.cpuRatio === 'number' ? ` (rate ratio ${n(j.ratio)}; ratio of CPU per e-mail)` : ''}`,
      ratio:
        typeof j.totalCpuRatio === 'number'
          ? j.totalCpuRatio
          : typeof j.cpuRatio === 'number'
            ? j.cpuRatio
            : (j.ratio as number),
      target: '≥ 0.7',
      floor: floor(quick, [0.45, 0.45], pg, PG_FLOORS.mail),
    },
  ],
  api: (j) =>
    ((j.scenarios as Json[] | undefined) ?? []).map((s) => ({
      benchmark: `api ${s.name}`,
      figure: `p95 ${n(s.p95, 0)} ms, p99 ${n(s.p99, 0)} ms, ${n(s.throughput, 0)} req/s`,
      reference: '50 ms (target)',
      ratio: 50 / (s.p95 as number),
      target: 'p95 ≤ 50 ms (ratio ≥ 1)',
      floor: null,
    })),
  portal: (j) => {
    const s = j.scenario as Json;
    return [
      {
        benchmark: 'portal page, 32 connections',
        figure: `p95 ${n(s.p95, 0)} ms, p99 ${n(s.p99, 0)} ms, ${n(s.throughput, 0)} req/s, server CPU ${n(s.serverCpuMsPerRequest)} ms/request`,
        reference: '50 ms (target)',
        ratio: 50 / (s.p95 as number),
        target: 'p95 ≤ 50 ms (ratio ≥ 1)',
        floor: null,
      },
    ];
  },
  load: (j) => [
    {
      benchmark: `load ${n(j.connections, 0)} clients × ${n(j.seconds, 0)} s`,
      figure: `p99 ${n(j.p99, 0)} ms, p95 ${n(j.p95, 0)} ms, ${n(j.throughput, 0)} req/s`,
      reference: `${n(j.errors, 0)} errors, ${n(j.non2xx, 0)} non-2xx of ${n(j.requests, 0)}`,
      ratio: j.pass ? 1 : 0,
      target: 'no error (1)',
      floor: 1,
    },
  ],
};

function versions(): string {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as { version: string })
        .version;
    } catch {
      return '?';
    }
  };
  let sqlite = '?';
  try {
    sqlite = execFileSync(process.execPath, [
      '-e',
      "console.log(new (require('better-sqlite3'))(':memory:').prepare('select sqlite_version() v').get().v)",
    ])
      .toString()
      .trim();
  } catch {
    /* left unknown */
  }
  let commit = '?';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    /* not a checkout */
  }
  return (
    `commit ${commit}; Node ${process.version}; SQLite ${sqlite} (better-sqlite3 ${pkg('better-sqlite3')}); kysely ${pkg('kysely')}; ` +
    `fastify ${pkg('fastify')}; pdfkit ${pkg('pdfkit')}; nodemailer ${pkg('nodemailer')}; autocannon ${pkg('autocannon')}`
  );
}

export function writeLatest(options: {
  quick: boolean;
  check: boolean;
  ran: { name: string; seconds: number; cpuSeconds: number | null; error?: string }[];
  invoices: number;
  customers: number;
  since: number;
  wallSeconds: number;
  cpuSeconds: number | null;
}): number {
  const lines: EngineLine[] = [];
  const others: string[] = [];
  const sqliteOnly: string[] = [];
  for (const { name, error } of options.ran) {
    if (error) {
      others.push(`- **${name}: failed** — ${error}`);
      continue;
    }
    const json = read(name, options.since);
    if (!json) {
      others.push(`- ${name}: no results written`);
      continue;
    }
    // A PostgreSQL result (`<name>-pg`) is read by its benchmark's lines, its rows marked with the engine.
    const pg = name.endsWith('-pg');
    const source = pg ? name.slice(0, -3) : name;
    const lineOf = LINES[source];
    if (lineOf) lines.push(...lineOf(json, options.quick, pg).map((l) => ({ ...l, source, pg })));
    else {
      others.push(`- ${name}: see [${name}.md](${name}.md)`);
      sqliteOnly.push(name);
    }
  }
  // Each PostgreSQL row right under its SQLite twin, then a table with the two engines in columns.
  const first = new Map<string, number>();
  lines.forEach((l, i) => {
    for (const key of [l.source, l.benchmark]) if (!first.has(key)) first.set(key, i);
  });
  // By benchmark, then by figure: a figure only PostgreSQL measures stays with its benchmark's rows.
  lines.sort(
    (a, b) => first.get(a.source)! - first.get(b.source)! || first.get(a.benchmark)! - first.get(b.benchmark)!,
  );
  const twins = sideBySide(lines, sqliteOnly);
  const rows: Line[] = lines.map((l) => ({ ...l, benchmark: `${l.benchmark} (${l.pg ? 'PostgreSQL' : 'SQLite'})` }));
  const below = rows.filter((l) => l.floor !== null && l.ratio !== null && l.ratio < l.floor);
  const failed = options.ran.filter((r) => r.error);
  const md = `# Benchmarks${options.quick ? ' (quick)' : ''}

Machine: ${machine()}; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (shared machine).
Versions: ${versions()}.
Data set: the demo generator's ledger of ${options.invoices.toLocaleString('en-US')} invoices and ${options.customers.toLocaleString('en-US')} customers
(seed 1, as of 2026-11-25; deterministic, so import, plan, aging, api and load measure the same ledger, each on its own copy).
Each figure is beside its reference measured in the same run; ratio = reference-relative speed (higher is better), of CPU time where the figure gives it.
Wall time (CPU time of this process and its children in brackets): ${options.ran
    .map((r) => `${r.name} ${r.seconds.toFixed(0)} s${r.cpuSeconds === null ? '' : ` (${r.cpuSeconds.toFixed(0)})`}`)
    .join(', ')}; whole command ${options.wallSeconds.toFixed(0)} s${
    options.cpuSeconds === null ? '' : ` (${options.cpuSeconds.toFixed(0)})`
  }.

| benchmark | figure | reference (same run) | ratio | target | floor (--check) |
|---|---|---|---|---|---|
${rows.map((l) => `| ${l.benchmark} | ${l.figure} | ${l.reference} | ${l.ratio === null ? '—' : l.ratio.toFixed(2)}${l.floor !== null && l.ratio !== null && l.ratio < l.floor ? ' **below floor**' : ''} | ${l.target} | ${l.floor ?? '—'} |`).join('\n')}

${others.join('\n')}
${twins}
${below.length + failed.length === 0 ? 'Every ratio is at or above its floor.' : `**${below.length} ratio(s) below floor, ${failed.length} benchmark(s) failed.**`}
Per-benchmark details: ${options.ran.map((r) => `[${r.name}](${r.name}.md)`).join(', ')}.
`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
  console.log(md);
  return options.check && below.length + failed.length > 0 ? 1 : 0;
}

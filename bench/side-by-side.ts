import { ON_POSTGRES } from './support.ts';

/** One row of latest.md: a figure beside its same-run reference. */
export type Line = {
  benchmark: string;
  figure: string;
  reference: string;
  ratio: number | null;
  target: string;
  floor: number | null;
};

/** A line as read from one result file: which benchmark wrote it, on which engine. */
export type EngineLine = Line & { source: string; pg: boolean };

const SQLITE_ONLY = 'SQLite only (the same work on either engine)';
const ratioOf = (l: EngineLine | undefined) => (l?.ratio == null ? '' : ` — **${l.ratio.toFixed(2)}**`);

/**
 * The two engines in two columns, one row per figure, for a run with --pg: each cell the figure and its ratio to the
 * same-run reference of its own engine, so that a figure reads across. A benchmark that measures what does not
 * depend on the engine (rendering, screens) says so in the PostgreSQL column.
 */
export function sideBySide(lines: readonly EngineLine[], others: readonly string[]): string {
  if (!lines.some((l) => l.pg)) return '';
  const rows = new Map<string, { source: string; sqlite?: EngineLine; pg?: EngineLine }>();
  for (const l of lines) {
    const row = rows.get(l.benchmark) ?? { source: l.source };
    if (l.pg) row.pg = l;
    else row.sqlite = l;
    rows.set(l.benchmark, row);
  }
  const ran = new Set(lines.map((l) => `${l.source}|${l.pg}`));
  const cell = (l: EngineLine | undefined, source: string, pg: boolean) => {
    if (l) return `${l.figure}${ratioOf(l)}`;
    if (pg && !ON_POSTGRES.includes(source)) return SQLITE_ONLY;
    return ran.has(`${source}|${pg}`) ? 'not measured on this engine' : 'not run';
  };
  const table = [...rows].map(
    ([name, r]) => `| ${name} | ${cell(r.sqlite, r.source, false)} | ${cell(r.pg, r.source, true)} |`,
  );
  for (const name of others) table.push(`| ${name} | see [${name}.md](${name}.md) | ${SQLITE_ONLY} |`);
  return `
## SQLite and PostgreSQL side by side

Each cell: the figure, then in bold its ratio to the reference measured in the same run on the same engine (table above).

| benchmark | SQLite | PostgreSQL |
|---|---|---|
${table.join('\n')}
`;
}

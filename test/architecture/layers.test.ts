import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ADAPTER_STORAGE_IMPORTS } from './adapter-storage-reads.ts';

/**
 * The layers, read from the import graph of the sources (the suite runs in CI, so a change that breaks one fails
 * there):
 *
 *   src/shared   the kernel (errors, ids, limits): imports nothing of ours
 *   src/domain   pure rules and values: imports only itself and the kernel's errors
 *   src/storage  Kysely tables and queries: imports only domain and shared
 *   features     use cases (src/settlements, src/dunning, src/mail, …): anything below them, and each other
 *   src/http, src/cli   adapters: nothing imports them, apart from `relance serve` starting the server
 *   web/src      the browser app: server code as types only, or the pure modules listed below (checked pure)
 */
const ROOT = resolve(import.meta.dirname, '../..');

type Edge = { from: string; to: string; typeOnly: boolean };

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') sources(path, out);
    } else if (/\.(ts|tsx|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every relative import of a file, with whether it is erased at compile time (types only). */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return;
    edges.push({
      from: relative(ROOT, file),
      to: relative(ROOT, resolve(dirname(file), specifier)),
      typeOnly,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause;
      const allTypes =
        node.isTypeOnly ||
        (named !== undefined && ts.isNamedExports(named) && named.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isImportTypeNode(node)) {
      const literal = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : null;
      if (literal && ts.isStringLiteral(literal)) add(literal.text, true);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'web/src'))];
const edges = files.flatMap(importsOf);
const within = (path: string, ...folders: string[]) => folders.some((f) => path === f || path.startsWith(`${f}/`));
const broken = (rule: (e: Edge) => boolean) =>
  edges.filter(rule).map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);

/** What the web app may import from the server at run time: pure modules, no I/O, checked below. */
const WEB_RUNTIME = [
  'src/domain',
  'src/i18n/fr.ts',
  'src/i18n/en.ts',
  'src/i18n/cli-setup-fr.ts',
  'src/i18n/cli-setup-en.ts',
  'src/i18n/portal-fr.ts',
  'src/i18n/portal-en.ts',
  'src/i18n/outbox-fr.ts',
  'src/i18n/outbox-en.ts',
  'src/i18n/cli-out-fr.ts',
  'src/i18n/cli-out-en.ts',
  'src/i18n/cli-report-fr.ts',
  'src/i18n/cli-report-en.ts',
  'src/i18n/reasons-fr.ts',
  'src/i18n/reasons-en.ts',
  'src/i18n/problems-fr.ts',
  'src/i18n/problems-en.ts',
  'src/i18n/manual-fr.ts',
  'src/i18n/manual-en.ts',
  'src/i18n/format-date.ts',
  'src/i18n/formatters.ts',
  'src/i18n/field-label.ts',
  'src/mail/smtp-presets.ts',
];
const PURE = [
  ...WEB_RUNTIME,
  'src/import/header-aliases.ts',
  'src/shared/errors.ts',
  'src/shared/validation-reason.ts',
];

/**
 * The run-time imports a file takes from a folder, with the names it takes: static imports (not type-only) and
 * `await import()` alike, since the CLI loads its use cases and the store inside the actions. A dynamic import
 * counts by the names destructured from it or read from it (`(await import(…)).name`), else as '*'.
 */
function valueImportsOf(file: string, folder: string): { to: string; names: string[] }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { to: string; names: string[] }[] = [];
  const target = (specifier: string) => {
    const to = relative(ROOT, resolve(dirname(file), specifier));
    return specifier.startsWith('.') && within(to, folder) ? to : null;
  };
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const to = target(statement.moduleSpecifier.text);
    if (!to || statement.importClause?.isTypeOnly) continue;
    const named = statement.importClause?.namedBindings;
    const names =
      named && ts.isNamedImports(named)
        ? named.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
        : ['*'];
    found.push({ to, names });
  }
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      const to = target(node.arguments[0].text);
      if (to) {
        const awaited = ts.isAwaitExpression(node.parent) ? node.parent : null;
        const holder = awaited && ts.isParenthesizedExpression(awaited.parent) ? awaited.parent : null;
        let names = ['*'];
        if (awaited && ts.isVariableDeclaration(awaited.parent) && ts.isObjectBindingPattern(awaited.parent.name)) {
          names = awaited.parent.name.elements.map((e) => ((e.propertyName ?? e.name) as ts.Identifier).text);
        } else if (holder && ts.isPropertyAccessExpression(holder.parent)) {
          names = [holder.parent.name.text];
        }
        found.push({ to, names });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('layers', () => {
  it('reads the graph (a parse that found nothing would pass every rule)', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(edges.length).toBeGreaterThan(1_500);
    expect(edges.some((e) => e.from.startsWith('web/') && e.typeOnly)).toBe(true);
  });

  it('shared is the kernel: it imports nothing of ours', () => {
    expect(broken((e) => within(e.from, 'src/shared') && !within(e.to, 'src/shared'))).toEqual([]);
  });

  it('the domain imports only itself and the errors and validation reasons of the kernel', () => {
    expect(
      broken(
        (e) =>
          within(e.from, 'src/domain') &&
          !within(e.to, 'src/domain', 'src/shared/errors.ts', 'src/shared/validation-reason.ts'),
      ),
    ).toEqual([]);
  });

  it('storage imports only the domain and the kernel', () => {
    expect(
      broken((e) => within(e.from, 'src/storage') && !within(e.to, 'src/storage', 'src/domain', 'src/shared')),
    ).toEqual([]);
  });

  it('nothing imports the HTTP adapter but itself, the web app’s types and `relance serve`', () => {
    expect(
      broken(
        (e) =>
          within(e.to, 'src/http') &&
          !within(e.from, 'src/http') &&
          !(e.from.startsWith('web/') && e.typeOnly) &&
          !(e.from === 'src/cli/commands/serve.ts' && e.to === 'src/http/app.ts'),
      ),
    ).toEqual([]);
  });

  it('a route imports no other route: what routes share (schemas, mappers) sits beside them in src/http', () => {
    expect(broken((e) => within(e.from, 'src/http/routes') && within(e.to, 'src/http/routes'))).toEqual([]);
  });

  it('nothing imports the command line but itself', () => {
    expect(broken((e) => within(e.to, 'src/cli') && !within(e.from, 'src/cli'))).toEqual([]);
  });

  it('the web app imports server code as types only, or from the pure modules', () => {
    expect(
      broken(
        (e) =>
          e.from.startsWith('web/') &&
          !e.to.startsWith('web/') &&
          !e.typeOnly &&
          !within(e.to, ...WEB_RUNTIME, 'src/import/header-aliases.ts'),
      ),
    ).toEqual([]);
  });

  it('the pure modules stay pure: they import only each other', () => {
    expect(broken((e) => within(e.from, ...PURE) && !e.typeOnly && !within(e.to, ...PURE))).toEqual([]);
  });

  it('the adapters write nothing themselves: no storage write, no transaction of their own (the use cases own them)', () => {
    const writer =
      /^(inTransaction$|(insert|update|delete|set|save|create|add|remove|record|upsert|mark|write|clear|touch|revoke|enqueue|requeue|claim|start|finish|purge|store|cancel)[A-Z])/;
    const found: string[] = [];
    for (const file of files.filter((f) => within(relative(ROOT, f), 'src/http', 'src/cli'))) {
      for (const { to, names } of valueImportsOf(file, 'src/storage')) {
        for (const name of names) if (writer.test(name)) found.push(`${relative(ROOT, file)} → ${to}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the adapters take from storage only what is listed (opening the store, reads not yet in a use case): the list only shrinks', () => {
    const found: string[] = [];
    const seen = new Set<string>();
    for (const file of files.filter((f) => within(relative(ROOT, f), 'src/http', 'src/cli'))) {
      const from = relative(ROOT, file);
      for (const { to, names } of valueImportsOf(file, 'src/storage')) {
        for (const name of names) {
          const entry = `${relative(join(ROOT, 'src/storage'), to)}:${name}`;
          seen.add(`${from} → ${entry}`);
          if (!(ADAPTER_STORAGE_IMPORTS[from] ?? []).includes(entry)) found.push(`${from} → ${entry}`);
        }
      }
    }
    expect(found).toEqual([]);
    // An import gone from the code is struck out of the list, so the list says what is left to move.
    const listed = Object.entries(ADAPTER_STORAGE_IMPORTS).flatMap(([from, entries]) =>
      entries.map((entry) => `${from} → ${entry}`),
    );
    expect(listed.filter((entry) => !seen.has(entry))).toEqual([]);
  });

  it('the adapters hold no SQL: their queries are in src/storage, their rules in the use cases', () => {
    const sql = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|rawQuery\(/;
    const found = files
      .filter((f) => within(relative(ROOT, f), 'src/http', 'src/cli'))
      .filter((f) => sql.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(found).toEqual([]);
  });

  it('the plan thread loads the planner and its reads, not the opening of the store (migrations, pg)', () => {
    // What it loads, it loads on the first plan of every process, whose CPU counts with the plan's.
    const loaded = new Set(['src/dunning/plan-worker.js']);
    for (const file of loaded) for (const e of edges) if (e.from === file && !e.typeOnly) loaded.add(e.to);
    const heavy = [...loaded].filter(
      (f) => f === 'src/storage/database.ts' || (within(f, 'src/storage/migrations') && !f.endsWith('column-types.ts')),
    );
    expect(heavy).toEqual([]);
    expect(loaded.has('src/dunning/plan-part.ts')).toBe(true);
  });
});

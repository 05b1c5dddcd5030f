import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/**
 * The CLI as a user runs it: `node bin/relance.js …` in a child process, one temporary database per
 * test. Each spawn costs about half a second, so each test runs a whole user story.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/relance.js');
// The tests read the English messages; the French ones are asked for with --lang fr.
const { RELANCE_DB: _ignored, ...INHERITED } = process.env;
const ENV = { ...INHERITED, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

export type Run = { code: number; stdout: string; stderr: string };

export function relance(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...ENV, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          fail(error);
          return;
        }
        done({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder with a database path in it and a way to write CSV files there. */
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-cli-'));
  dirs.push(dir);
  const db = join(dir, 'relance.db');
  return {
    dir,
    db,
    file(name: string, ...lines: string[]): string {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    },
    /** Runs the CLI on this workspace's database. */
    run: (...args: string[]) => relance(['--db', db, ...args]),
    /** The same with some environment variables changed. */
    runWith: (env: Record<string, string>, ...args: string[]) => relance(['--db', db, ...args], env),
    /** Imports CSV files here as `relance import <kind> <file>` does, in this process: a test's ledger. */
    importFiles: (...files: [kind: 'customers' | 'invoices', path: string][]) => importFiles(db, files),
  };
}

/**
 * What `relance import` does (the default company, the command line as the actor), without a process for each
 * file: the ledger of a test about another command. The modules load on the first call only, so the files that
 * never call it do not pay for them.
 */
async function importFiles(db: string, files: [kind: 'customers' | 'invoices', path: string][]): Promise<void> {
  const [{ openStore }, { openDefaultCompany }, { importCsv }, { systemActor }] = await Promise.all([
    import('../../src/storage/database.ts'),
    import('../../src/accounts/default-company.ts'),
    import('../../src/import/run-import.ts'),
    import('../../src/shared/actor.ts'),
  ]);
  const store = await openStore(db);
  try {
    const company = await openDefaultCompany(store.db, { userId: null, name: 'command line' });
    for (const [kind, path] of files) {
      const report = await importCsv(store.db, systemActor(company.id, 'command line'), {
        kind,
        fileName: basename(path),
        bytes: readFileSync(path),
      });
      if (!report.committed) throw new Error(`${path} not imported: ${JSON.stringify(report.issues)}`);
    }
  } finally {
    await store.close();
  }
}

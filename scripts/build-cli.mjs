#!/usr/bin/env node
// Compiles src/ to plain JavaScript in lib/ (npm's `prepare`, so `npm install` / `npm ci` build it), so that
// bin/relance.js starts without compiling TypeScript at each call. Types are checked by `npm run typecheck`;
// this emits only (`--noCheck`), which takes seconds rather than the full check.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], {
  stdio: 'inherit',
  cwd: root,
});
// The worker entries are plain JavaScript already; the compiled plan and upload workers load their part
// directly, without the tsx loader the source tree needs.
mkdirSync(join(lib, 'storage'), { recursive: true });
copyFileSync(join(root, 'src/storage/checkpoint-worker.mjs'), join(lib, 'storage/checkpoint-worker.mjs'));
writeFileSync(
  join(lib, 'dunning/plan-worker.js'),
  '// Compiled build: the worker thread loads the compiled part directly (see src/dunning/plan-worker.js).\n' +
    "await import('./plan-part-worker.js');\n",
);
writeFileSync(
  join(lib, 'shared/upload-worker.js'),
  '// Compiled build: the worker thread loads the compiled part directly (see src/shared/upload-worker.js).\n' +
    "await import('./upload-worker-main.js');\n",
);
// `relance --help` lists the commands from this index instead of loading every command module.
const { buildHelpIndex } = await import(pathToFileURL(join(lib, 'cli/help-index.js')).href);
writeFileSync(join(lib, 'cli/help-index.json'), JSON.stringify(await buildHelpIndex()));
// bin/relance.js runs lib/ only while it is newer than every source file; this stamp is its build time.
writeFileSync(join(lib, '.built'), `${new Date().toISOString()}\n`);

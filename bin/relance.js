#!/usr/bin/env node
// Runs the compiled JavaScript of lib/ (built by `npm install` through `prepare`, or `npm run build`), which
// starts in a fraction of a second. When lib/ is missing or older than a file of src/ (a checkout being
// edited), it runs the TypeScript sources through tsx instead, so a change is never shadowed by an old build.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function builtAt() {
  try {
    return statSync(join(root, 'lib', '.built')).mtimeMs;
  } catch {
    return null;
  }
}

function compiledIsCurrent() {
  const built = builtAt();
  if (built === null) return false;
  const src = join(root, 'src');
  let entries;
  try {
    entries = readdirSync(src, { recursive: true, withFileTypes: true });
  } catch {
    return true; // an installed package ships lib/ without its sources
  }
  for (const entry of entries) {
    if (entry.isFile() && statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > built) return false;
  }
  return true;
}

if (process.env.RELANCE_FROM_SOURCE !== '1' && compiledIsCurrent()) {
  await import('../lib/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

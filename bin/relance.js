#!/usr/bin/env node
// Runs the compiled JavaScript of lib/ (built by `npm install` through `prepare`, or `npm run build`), which
// starts in a fraction of a second. When lib/ is missing or older than a file of src/ (a checkout being
// edited), it runs the TypeScript sources through tsx instead, so a change is never shadowed by an old build.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledIsCurrent } from '../scripts/compiled-current.mjs';

if (process.env.RELANCE_FROM_SOURCE !== '1' && compiledIsCurrent(join(dirname(fileURLToPath(import.meta.url)), '..'))) {
  await import('../lib/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

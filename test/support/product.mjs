// For the proof children (processes a test kills with SIGKILL): loads the product as bin/relance.js runs it, the
// compiled lib/ while it is current (CI builds it through `npm ci`), else src/ through tsx. Loading src/ through
// tsx's hooks took half of each child's life; a test that starts a dozen children waited on that, not on its work.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledIsCurrent } from '../../scripts/compiled-current.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const compiled = process.env.RELANCE_FROM_SOURCE !== '1' && compiledIsCurrent(ROOT);
if (!compiled) (await import('tsx/esm/api')).register();

/** The module `src/<path>.ts` (or its compiled `lib/<path>.js`), e.g. `product('storage/database')`. */
export function product(path) {
  return import(pathToFileURL(join(ROOT, compiled ? `lib/${path}.js` : `src/${path}.ts`)).href);
}

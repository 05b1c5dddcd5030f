import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * DejaVu Sans from the dejavu-fonts-ttf package: it covers every Latin accent, € and the narrow no-break
 * space (U+202F) that French number formatting puts between thousands. The files are read once per
 * process; each PDF embeds only the glyphs it uses.
 */
const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

let cache: { regular: Buffer; bold: Buffer } | undefined;

export function fontBuffers(): { regular: Buffer; bold: Buffer } {
  cache ??= {
    regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
    bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
  };
  return cache;
}

export const REGULAR = 'Sans';
export const BOLD = 'Sans-Bold';

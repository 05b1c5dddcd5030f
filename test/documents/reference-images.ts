import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KINDS, sampleDocuments } from './sample-documents.ts';

/**
 * Writes the reference image of each kind of document to docs/letters/<kind>.png (first page, 80 dpi):
 * `npx tsx test/documents/reference-images.ts`. Run it after changing a layout and commit the images.
 */
const out = resolve(import.meta.dirname, '../../docs/letters');
mkdirSync(out, { recursive: true });
const documents = await sampleDocuments();
for (const kind of KINDS) {
  const pdf = join(tmpdir(), `relance-reference-${kind}.pdf`);
  writeFileSync(pdf, documents[kind]);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(out, kind)]);
  rmSync(pdf);
  console.log(`docs/letters/${kind}.png`);
}

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// Pages of other producers (pdf-lib's Helvetica) name the 14 standard fonts; pdfjs reads their metrics from here.
const STANDARD_FONTS = join(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'), '..', 'standard_fonts/');

export type TextItem = { str: string; x: number; y: number; width: number; height: number };
export type PdfPage = { text: string; items: TextItem[]; width: number; height: number };

/**
 * The text of each page as a reader's PDF software extracts it (pdfjs-dist), with each run's position in
 * points from the page's top-left corner. Spaces of every kind become plain spaces so assertions read simply.
 */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const document = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: STANDARD_FONTS,
  }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [, , , , x, baseline] = item.transform as number[];
      items.push({
        str: item.str.replace(/[\u00a0\u202f]/g, ' '),
        x: x!,
        y: height - baseline! - item.height,
        width: item.width,
        height: item.height,
      });
    }
    pages.push({ text: items.map((i) => i.str).join('\n'), items, width, height });
  }
  await document.destroy();
  return pages;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await readPdf(bytes)).map((p) => p.text).join('\n');
}

export type Raster = { width: number; height: number; rgb: Uint8Array };

const run = promisify(execFile);

/** Each page rendered by poppler's pdftoppm (as a printer driver would), as raw RGB. */
export async function rasterize(bytes: Uint8Array, dpi = 100): Promise<Raster[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-raster-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), bytes);
    await run('pdftoppm', ['-r', String(dpi), join(dir, 'in.pdf'), join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ppm'))
      .sort()
      .map((f) => parsePpm(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePpm(data: Buffer): Raster {
  // P6 header: magic, width, height, max value, each separated by whitespace, then the bytes.
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(data[at]!))) at++;
    let field = '';
    while (!/\s/.test(String.fromCharCode(data[at]!))) field += String.fromCharCode(data[at++]!);
    fields.push(field);
  }
  if (fields[0] !== 'P6') throw new Error(`pdftoppm gave ${fields[0]}, not a P6 image`);
  return { width: Number(fields[1]), height: Number(fields[2]), rgb: new Uint8Array(data.subarray(at + 1)) };
}

/** Share of the page's pixels that are not (near) white. */
export function inkRatio(raster: Raster): number {
  let ink = 0;
  for (let i = 0; i < raster.rgb.length; i += 3) {
    if (raster.rgb[i]! < 200 || raster.rgb[i + 1]! < 200 || raster.rgb[i + 2]! < 200) ink++;
  }
  return ink / (raster.width * raster.height);
}

export function rgba(raster: Raster): Uint8ClampedArray {
  const out = new Uint8ClampedArray(raster.width * raster.height * 4);
  for (let p = 0, q = 0; p < raster.rgb.length; p += 3, q += 4) {
    out[q] = raster.rgb[p]!;
    out[q + 1] = raster.rgb[p + 1]!;
    out[q + 2] = raster.rgb[p + 2]!;
    out[q + 3] = 255;
  }
  return out;
}

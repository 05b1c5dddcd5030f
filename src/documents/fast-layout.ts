/**
 * Most strings of a letter are new to the document (amounts, dates, invoice numbers, names), so pdfkit
 * asks fontkit to shape each one, running the font's whole OpenType machinery. For DejaVu and Latin text
 * the result is each glyph's advance plus pair kerning. This lays such strings out from that model
 * directly: every character and every adjacent pair is first checked against fontkit itself (one glyph
 * per character, no offsets, only the first glyph's advance changed by kerning) and remembered for the
 * process; a string with any character or pair that fails the check is shaped by fontkit as before.
 */
type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
type Position = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth?: number };
type Run = { glyphs: Glyph[]; positions: Position[]; advanceWidth: number };
type FontkitFont = { layout(text: string): Run; glyphForCodePoint(codePoint: number): Glyph };
/** The part of pdfkit's EmbeddedFont this replaces; not in @types/pdfkit. */
export type EmbeddedFont = {
  font: FontkitFont;
  scale: number;
  layoutRun(text: string, features?: unknown): Run;
  fastLayout?: true;
};

type Checks = { chars: Map<number, boolean>; pairs: Map<number, number> };
const checks = new Map<string, Checks>();
const UNSAFE = Number.NaN;

function plainGlyphs(run: Run, expected: Glyph[]): boolean {
  return (
    run.glyphs.length === expected.length &&
    run.glyphs.every((g, i) => g.id === expected[i]!.id) &&
    run.positions.every((p) => !p.xOffset && !p.yOffset && !p.yAdvance)
  );
}

function charIsPlain(font: FontkitFont, c: Checks, code: number): boolean {
  let plain = c.chars.get(code);
  if (plain === undefined) {
    const glyph = font.glyphForCodePoint(code);
    const run = font.layout(String.fromCodePoint(code));
    plain = glyph.id !== 0 && plainGlyphs(run, [glyph]) && run.positions[0]!.xAdvance === glyph.advanceWidth;
    c.chars.set(code, plain);
  }
  return plain;
}

/** The kerning of a pair in font units, or NaN when the pair does more than kern. */
function pairKern(font: FontkitFont, c: Checks, a: number, b: number): number {
  const key = a * 0x110000 + b;
  let kern = c.pairs.get(key);
  if (kern === undefined) {
    const glyphs = [font.glyphForCodePoint(a), font.glyphForCodePoint(b)];
    const run = font.layout(String.fromCodePoint(a, b));
    kern =
      plainGlyphs(run, glyphs) && run.positions[1]!.xAdvance === glyphs[1]!.advanceWidth
        ? run.positions[0]!.xAdvance - glyphs[0]!.advanceWidth
        : UNSAFE;
    if (c.pairs.size > 200_000) c.pairs.clear();
    c.pairs.set(key, kern);
  }
  return kern;
}

/** Lays text out from advances and pair kerning, or returns null when it needs real shaping. */
export function simpleLayout(font: FontkitFont, fontName: string, text: string, scale: number): Run | null {
  let c = checks.get(fontName);
  if (!c) {
    c = { chars: new Map(), pairs: new Map() };
    checks.set(fontName, c);
  }
  const codes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (!charIsPlain(font, c, code)) return null;
    codes.push(code);
  }
  const glyphs: Glyph[] = [];
  const positions: Position[] = [];
  let advanceWidth = 0;
  for (let i = 0; i < codes.length; i++) {
    const glyph = font.glyphForCodePoint(codes[i]!);
    const kern = i + 1 < codes.length ? pairKern(font, c, codes[i]!, codes[i + 1]!) : 0;
    if (Number.isNaN(kern)) return null;
    const width = glyph.advanceWidth * scale;
    const xAdvance = (glyph.advanceWidth + kern) * scale;
    glyphs.push(glyph);
    positions.push({ xAdvance, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: width });
    advanceWidth += xAdvance;
  }
  return { glyphs, positions, advanceWidth };
}

/** Makes this document's font use the simple layout whenever it gives what fontkit would (see above). */
export function useFastLayout(embedded: EmbeddedFont, fontName: string): void {
  if (embedded.fastLayout) return;
  const shaped = embedded.layoutRun.bind(embedded);
  embedded.layoutRun = (text, features) =>
    (features ? null : simpleLayout(embedded.font, fontName, text, embedded.scale)) ?? shaped(text, features);
  embedded.fastLayout = true;
}

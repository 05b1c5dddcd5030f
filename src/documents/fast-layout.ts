/**
 * Half the strings of a letter are amounts, dates and numbers ("1 234,56 €", "15/03/2026"): each one is
 * new, so pdfkit asks fontkit to shape it, which runs the font's whole OpenType machinery for a result
 * that is, for these characters in DejaVu, just each glyph's advance. This gives pdfkit that result
 * directly for strings made only of characters verified (once per process and font, against fontkit
 * itself) to neither substitute nor kern, alone or in pairs; anything else is shaped as before.
 */
type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
type Run = { glyphs: Glyph[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number;
  advanceWidth?: number }[]; advanceWidth: number };
type FontkitFont = { layout(text: string): Run; glyphForCodePoint(codePoint: number): Glyph };
/** The part of pdfkit's EmbeddedFont this replaces; not in @types/pdfkit. */
export type EmbeddedFont = { font: FontkitFont; scale: number; layoutRun(text: string, features?: unknown): Run; fastLayout?: true };

const CANDIDATES = '0123456789 \u00a0\u202f,.:/-+()%€';
const verified = new Map<string, Set<number>>();

function plainChars(font: FontkitFont): Set<number> {
  const safe = new Set<number>();
  const chars = [...CANDIDATES].map((c) => c.codePointAt(0)!);
  const plain = (text: string) => {
    const run = font.layout(text);
    const expected = [...text].map((c) => font.glyphForCodePoint(c.codePointAt(0)!));
    return run.glyphs.length === expected.length && run.glyphs.every((g, i) => g.id === expected[i]!.id
      && run.positions[i]!.xAdvance === expected[i]!.advanceWidth && !run.positions[i]!.xOffset && !run.positions[i]!.yOffset);
  };
  for (const c of chars) if (plain(String.fromCodePoint(c))) safe.add(c);
  for (const a of chars) {
    for (const b of chars) {
      if (safe.has(a) && safe.has(b) && !plain(String.fromCodePoint(a, b))) {
        safe.delete(a);
        safe.delete(b);
      }
    }
  }
  return safe;
}

/** Makes this document's font lay out plain numeric strings without shaping (see above). */
export function useFastLayout(embedded: EmbeddedFont, fontName: string): void {
  if (embedded.fastLayout) return;
  let safe = verified.get(fontName);
  if (!safe) {
    safe = plainChars(embedded.font);
    verified.set(fontName, safe);
  }
  const shaped = embedded.layoutRun.bind(embedded);
  const chars = safe;
  embedded.layoutRun = (text, features) => {
    if (features) return shaped(text, features);
    const glyphs: Glyph[] = [];
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (!chars.has(code)) return shaped(text, features);
      glyphs.push(embedded.font.glyphForCodePoint(code));
    }
    let advanceWidth = 0;
    const positions = glyphs.map((glyph) => {
      const width = glyph.advanceWidth * embedded.scale;
      advanceWidth += width;
      return { xAdvance: width, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: width };
    });
    return { glyphs, positions, advanceWidth };
  };
  embedded.fastLayout = true;
}

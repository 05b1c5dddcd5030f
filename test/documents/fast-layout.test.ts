import { describe, expect, it } from 'vitest';
import { simpleLayout, type EmbeddedFont } from '../../src/documents/fast-layout.ts';
import { BOLD, REGULAR } from '../../src/documents/fonts.ts';
import { newPdf } from '../../src/documents/pdf-document.ts';

const SAMPLES = [
  '1\u202f234,56\u00a0€',
  '€1,234.56',
  '15/03/2026',
  'FC260700013',
  'AVATAR',
  'Tél. 04 72 00 00 00',
  'Yvonne Water',
  'Société Générale des Crêpes Françaises',
  'À l’attention de Jérôme Dupré',
  'LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION',
  'Indemnité forfaitaire pour frais de recouvrement',
  'Œuvre ﬁnale',
  'Zoë “quoted” — dash',
  'Pay online: https://pay.example/x?a=1',
];

describe('layout without shaping', () => {
  it('gives exactly the glyphs and advances fontkit shaping gives, or steps aside', () => {
    const doc = newPdf({ title: 't', date: '2026-01-01', language: 'fr' });
    let used = 0;
    for (const name of [REGULAR, BOLD]) {
      const { font } = (doc.font(name) as unknown as { _font: EmbeddedFont })._font;
      for (const text of SAMPLES) {
        const simple = simpleLayout(font, name, text, 1);
        if (simple === null) continue;
        used++;
        const shaped = font.layout(text);
        expect(
          simple.glyphs.map((g) => g.id),
          text,
        ).toEqual(shaped.glyphs.map((g) => g.id));
        expect(
          simple.positions.map((p) => p.xAdvance),
          text,
        ).toEqual(shaped.positions.map((p) => p.xAdvance));
      }
      // A combining accent needs positioning: shaped by fontkit, never guessed.
      expect(simpleLayout(font, name, 'e\u0301', 1)).toBeNull();
    }
    // Kerned pairs such as "AV" and "Te" are handled by the pair table, not left to shaping.
    expect(used).toBeGreaterThanOrEqual(SAMPLES.length * 2 - 4);
    const { font } = (doc.font(REGULAR) as unknown as { _font: EmbeddedFont })._font;
    const avatar = simpleLayout(font, REGULAR, 'AVATAR', 1)!;
    expect(avatar.positions.some((p, i) => p.xAdvance !== avatar.glyphs[i]!.advanceWidth)).toBe(true);
  });
});

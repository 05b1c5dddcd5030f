import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../../src/communications/message-context.ts';
import { sampleMessageContext } from '../../src/communications/sample-context.ts';
import { defaultTemplate } from '../../src/templates/defaults.ts';
import { TEMPLATE_KEYS } from '../../src/templates/keys.ts';
import { renderMessage } from '../../src/templates/render.ts';

/** The sample context with one item, or three (a third invoice and quote made from the first). */
function sized(language: 'fr' | 'en', level: number, count: 1 | 3): MessageContext {
  const context = sampleMessageContext(language, level);
  const [first, second] = context.invoices;
  const invoices =
    count === 1 ? [first!] : [first!, second!, { ...first!, id: `${first!.id}3`, number: 'FA-2026-0063' }];
  const quote = context.quotes![0]!;
  const quotes =
    count === 1
      ? [quote]
      : [
          quote,
          { ...quote, id: `${quote.id}2`, number: 'DE-2026-0013' },
          { ...quote, id: `${quote.id}3`, number: 'DE-2026-0014' },
        ];
  return { ...context, invoices, quotes, references: invoices.map((i) => i.number).join(', ') };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('built-in templates read right for one and for several items', () => {
  for (const language of ['fr', 'en'] as const) {
    for (const key of TEMPLATE_KEYS) {
      it(`${key} (${language}) with one and with three`, () => {
        const level = key === 'prerelance' ? 1 : key === 'standard' ? 0 : 2;
        for (const count of [1, 3] as const) {
          const out = renderMessage(defaultTemplate(key, language), sized(language, level, count), { strict: true });
          const where = `${key}/${language}/${count}`;
          for (const value of Object.values(out)) expect(value, where).not.toMatch(/\{\{|\{%|#REF#|undefined/);
          // The opening sentence (after the greeting) is said once, whatever the number of items.
          const opening = out.text.split('\n').filter((l) => l.trim() !== '')[1]!;
          expect(occurrences(out.text, opening), `${where}: "${opening}" repeated`).toBe(1);
          // A pre-reminder announces invoices coming due: it never totals a sum to pay.
          if (key === 'prerelance' || key === 'standard')
            expect(out.text, where).not.toMatch(/Total à régler|Total due|Malgré|previous reminder/);
        }
      });
    }
  }

  it('agree in number: invoices and quotes, French and English', () => {
    const fr = (key: 'relance1' | 'relance-devis' | 'prerelance', count: 1 | 3) =>
      renderMessage(defaultTemplate(key, 'fr'), sized('fr', key === 'prerelance' ? 1 : 2, count)).text;
    const en = (count: 1 | 3) => renderMessage(defaultTemplate('relance-devis', 'en'), sized('en', 2, count)).text;
    expect(fr('relance1', 1)).toContain('de la facture suivante, arrivée');
    expect(fr('relance1', 3)).toContain('des factures suivantes, arrivées');
    expect(fr('prerelance', 3)).toContain('les factures suivantes arrivent');
    expect(fr('relance-devis', 1)).toContain('notre devis DE-2026-0012');
    expect(fr('relance-devis', 1)).toContain("Pour l'accepter");
    const quotes = fr('relance-devis', 3);
    expect(occurrences(quotes, 'Nous revenons vers vous')).toBe(1);
    expect(quotes).toContain('nos devis :');
    expect(quotes).toMatch(/- devis DE-2026-0013 du .*\n- devis DE-2026-0014/);
    expect(quotes).toContain('ou les adapter à vos besoins');
    expect(en(3)).toContain('review them?');
    expect(occurrences(en(3), 'We are following up')).toBe(1);
    expect(en(1)).toContain('review it?');
  });
});

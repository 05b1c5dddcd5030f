import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_CATEGORIES } from '../../src/dunning/categories.ts';
import { en as messagesEn } from '../../src/i18n/en.ts';
import { fr as messagesFr } from '../../src/i18n/fr.ts';
import { categoryLabel, fixedCategoryOptions, HELD_CATEGORY_KEYS } from '../../web/src/pages/category-label.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fr } from '../../web/src/i18n/fr.ts';
import type { Categories } from '../../web/src/api/types.ts';
import { call, fixture, type Fixture } from '../http/support.ts';

/** The web app's translator, with the two namespaces it loads (its own words, and the server's catalogue). */
async function webTranslator(language: 'fr' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { fr: { translation: fr, messages: messagesFr }, en: { translation: en, messages: messagesEn } },
    lng: language,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
  });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
}

type Category = Categories['categories'][number];
const fixed = (key: string): Category => ({
  key,
  label: 'as the server sent it',
  level: null,
  inProgress: false,
  stepLabels: [],
  count: 1,
  balance: {},
});

describe('reminder categories in the web app', () => {
  it('are worded by the server’s catalogue, in French and English', async () => {
    const fr = await webTranslator('fr');
    const en = await webTranslator('en');
    expect(categoryLabel(fixed('held-promised'), fr)).toBe('À traiter : paiement promis ou annoncé');
    expect(categoryLabel(fixed('held-promised'), en)).toBe('To handle: payment promised or announced');
    expect(categoryLabel(fixed('out-of-cycle'), fr)).toBe(messagesFr.relanceCategory['out-of-cycle']);
    const level = { ...fixed('level-2-in-progress'), level: 2, inProgress: true };
    expect(categoryLabel(level, en)).toBe('Level 2 in progress');
    expect(categoryLabel({ ...level, stepLabels: ['Rappel', 'Relance 2'] }, fr)).toBe('Rappel / Relance 2 en cours');
    // A category the app does not know yet keeps the server's words.
    expect(categoryLabel(fixed('held-new-reason'), fr)).toBe('as the server sent it');
  });

  it('offer every held category the server can put an invoice in, in the filter menu', async () => {
    expect(HELD_CATEGORY_KEYS).toEqual([...HELD_CATEGORIES]);
    const options = fixedCategoryOptions(await webTranslator('en'));
    expect(options.map((o) => o.key)).toEqual(['upcoming', ...HELD_CATEGORIES, 'out-of-cycle']);
    expect(options.every((o) => o.label === messagesEn.relanceCategory[o.key as 'upcoming'])).toBe(true);
  });
});

describe('the categories the API names', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture('sqlite');
  });
  afterAll(async () => f.dispose());

  it('read the same in the web app as in the API’s answer, in either language', async () => {
    for (const language of ['fr', 'en'] as const) {
      const reply = await call(f.app, f.tokens.admin, 'GET', '/api/v1/invoices/categories', undefined, {
        'accept-language': language,
      });
      const categories = (reply.body as Categories).categories;
      expect(categories.length).toBeGreaterThan(0);
      const t = await webTranslator(language);
      expect(categories.map((c) => categoryLabel(c, t))).toEqual(categories.map((c) => c.label));
    }
  });
});

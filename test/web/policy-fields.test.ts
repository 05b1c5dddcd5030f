import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_JSON, parsePolicy } from '../../src/domain/dunning/policy.ts';
import { en as messagesEn } from '../../src/i18n/en.ts';
import { fr as messagesFr } from '../../src/i18n/fr.ts';
import { AppError } from '../../src/shared/errors.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fr } from '../../web/src/i18n/fr.ts';
import { policyFieldText } from '../../web/src/settings/policy-fields.ts';

async function webTranslator(language: 'fr' | 'en'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { fr: { translation: fr, messages: messagesFr }, en: { translation: en, messages: messagesEn } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

describe('a refused policy field in the web editor', () => {
  it("is named by the step's label and the field's label, never by its JSON path", async () => {
    const broken = structuredClone(DEFAULT_POLICY_JSON);
    (broken.steps[1] as { delayDays: number }).delayDays = 1.5;
    broken.steps[2]!.channels = [];
    (broken as { minDaysBetween: number }).minDaysBetween = -1;
    broken.steps[3]!.label = ' ';
    let refused: AppError | null = null;
    try {
      parsePolicy(broken);
    } catch (error) {
      refused = error as AppError;
    }
    const fields = refused!.issues.map((issue) => issue.field);
    expect(fields).toEqual(['steps.1.delayDays', 'steps.2.channels', 'steps.3.label', 'minDaysBetween']);
    const tFr = await webTranslator('fr');
    expect(fields.map((field) => policyFieldText(`body.${field}`, broken, tFr))).toEqual([
      'Étape 2 (1ère relance) · Délai',
      'Étape 3 (2ème relance) · Canaux',
      'Étape 4 · Libellé',
      'Jours minimum entre deux relances',
    ]);
    const tEn = await webTranslator('en');
    expect(policyFieldText('steps.1.labels.en', broken, tEn)).toBe('Step 2 (1ère relance) · Label');
    expect(policyFieldText('charges.contractRate', broken, tEn)).toBe('Contract rate');
    expect(policyFieldText('steps.7', broken, tEn)).toBe('Step 8');
    expect(policyFieldText('somethingElse', broken, tEn)).toBeNull();
  });
});

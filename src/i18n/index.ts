import i18next, { type TFunction } from 'i18next';
import type { FieldIssue } from '../shared/errors.ts';
import { en } from './en.ts';
import { fieldLabelKeys, nestedFieldLabel } from './field-label.ts';
import { addFormatters } from './formatters.ts';
import { fr } from './fr.ts';

import type { MessageLanguage } from './language.ts';

export { languageOf, type MessageLanguage } from './language.ts';
export const catalogue = { fr, en } as const;

const instance = i18next.createInstance();
void instance.init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: 'fr',
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

addFormatters(instance);

const translators = new Map<MessageLanguage, TFunction>();

/** The catalogue's `t` in one language (server, CLI and documents; the web app loads the same files). */
export function translator(language: MessageLanguage): TFunction {
  let t = translators.get(language);
  if (!t) {
    t = instance.getFixedT(language);
    translators.set(language, t);
  }
  return t;
}

/** Whether the key has a text in that language (a plural key counts by its `_other` form). */
export function hasMessage(language: MessageLanguage, key: string): boolean {
  return (
    instance.exists(key, { lng: language, fallbackLng: false }) ||
    instance.exists(`${key}_other`, { lng: language, fallbackLng: false })
  );
}

/** An issue's reason in the reader's language, from its code when it has one, else as written. */
export function issueReason(issue: FieldIssue, language: MessageLanguage): string {
  if (!issue.code || !hasMessage(language, issue.code)) return issue.reason;
  return translator(language)(issue.code, {
    ...issue.params,
    count: typeof issue.params?.count === 'number' ? issue.params.count : undefined,
  });
}

/** A field's label in the reader's language (`Date d'échéance` for due_date), else the field name itself. */
export function fieldLabel(field: string, language: MessageLanguage): string {
  const t = translator(language);
  const labelOf = (name: string) => {
    const found = fieldLabelKeys(name).find(({ key }) => hasMessage(language, key));
    return found ? t(found.key, found.params) : null;
  };
  // A label of the whole path first, else a nested path said part by part (which step's delay), else its last part.
  const whole = fieldLabelKeys(field)[0]!;
  if (hasMessage(language, whole.key)) return t(whole.key, whole.params);
  return nestedFieldLabel(field, labelOf, (n) => t('reason.field.item', { n })) ?? labelOf(field) ?? field;
}

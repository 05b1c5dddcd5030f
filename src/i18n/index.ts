import i18next, { type TFunction } from 'i18next';
import type { FieldIssue } from '../shared/errors.ts';
import { en } from './en.ts';
import { formatIsoDate } from './format-date.ts';
import { fr } from './fr.ts';

export type MessageLanguage = 'fr' | 'en';
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

// `{{date, isodate}}` prints a 'YYYY-MM-DD' as its reader writes it (15/03/2026, 15 March 2026).
instance.services.formatter?.add('isodate', (value: unknown, lng: string | undefined) =>
  formatIsoDate(String(value), lng),
);

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

/**
 * The CLI's language: `--lang`, else the locale of the environment (LC_ALL, LC_MESSAGES, LANG), French
 * unless it names English.
 */
export function languageOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): MessageLanguage {
  const chosen = option || env.RELANCE_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en\b|^en[_-]/i.test(chosen) ? 'en' : 'fr';
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
  const key = `import.field.${field}`;
  return hasMessage(language, key) ? translator(language)(key) : field;
}

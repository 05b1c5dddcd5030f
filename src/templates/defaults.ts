import type { Language } from '../domain/ledger.ts';
import { ENGLISH_DEFAULTS } from './defaults-en.ts';
import { FRENCH_DEFAULTS } from './defaults-fr.ts';
import type { MessageTemplate, TemplateKey } from './keys.ts';

const DEFAULTS: Record<Language, typeof FRENCH_DEFAULTS> = { fr: FRENCH_DEFAULTS, en: ENGLISH_DEFAULTS };

/** The built-in template a company starts with (and returns to on reset). */
export function defaultTemplate(key: TemplateKey, language: Language): MessageTemplate {
  return { key, language, ...DEFAULTS[language][key] };
}

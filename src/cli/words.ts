import type { TFunction } from 'i18next';
import { translator } from '../i18n/index.ts';
import type { MessageLanguage } from '../i18n/language.ts';
import { cliLanguage } from './help-language.ts';

/** The reader's language for what a command prints (as main.ts decides it) and the catalogue's `t` in it. */
export function words(): { language: MessageLanguage; t: TFunction; locale: 'fr' | 'en' } {
  const language = cliLanguage(process.argv.slice(2));
  return { language, t: translator(language), locale: language };
}

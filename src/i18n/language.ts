export type MessageLanguage = 'fr' | 'en';

/**
 * The CLI's language: `--lang`, else the locale of the environment (RELANCE_LANG, LC_ALL, LC_MESSAGES,
 * LANG), French unless it names English. Kept apart from the catalogue so the help needs no i18next.
 */
export function languageOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): MessageLanguage {
  const chosen = option || env.RELANCE_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en\b|^en[_-]/i.test(chosen) ? 'en' : 'fr';
}

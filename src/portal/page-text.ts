import type { TFunction } from 'i18next';
import { translator, type MessageLanguage } from '../i18n/index.ts';

/**
 * The catalogue's `t` for the payment page, each text worked out once: i18next's lookup, plural rules and
 * interpolation were a third of a page's CPU, for the same few dozen labels on every view. The catalogue does
 * not change while the process runs; the cache is emptied when full so that per-invoice texts stay bounded.
 */
const MAX_TEXTS = 4000;
const texts = new Map<MessageLanguage, Map<string, string>>();

export function pageTranslator(language: MessageLanguage): TFunction {
  const t = translator(language);
  let known = texts.get(language);
  if (!known) texts.set(language, (known = new Map()));
  const cache = known;
  return ((key: string, options?: Record<string, unknown>) => {
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    let text = cache.get(id);
    if (text === undefined) {
      text = String(t(key, options as never));
      if (cache.size >= MAX_TEXTS) cache.clear();
      cache.set(id, text);
    }
    return text;
  }) as TFunction;
}

import type { TFunction } from 'i18next';
import { translator, type MessageLanguage } from '../i18n/index.ts';

/**
 * The catalogue's `t` for the payment page, each text worked out once: i18next's lookup, plural rules and
 * interpolation were a third of a page's CPU, for the same few dozen labels on every view. The catalogue does
 * not change while the process runs. Texts that differ per invoice do not go through here (`pageTemplate`,
 * `countText`): keyed by their values they filled the cache, which was then emptied on every view.
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

const MARK = '\u0001';
const templates = new Map<string, (values: Record<string, string>) => string>();

/**
 * A catalogue text with values, translated once with markers in place of its values, then filled in by joining
 * its pieces: for the texts written once per invoice (each invoice's number and amount).
 */
export function pageTemplate(
  language: MessageLanguage,
  key: string,
  names: readonly string[],
): (values: Record<string, string>) => string {
  const id = `${language}\u0000${key}`;
  let fill = templates.get(id);
  if (!fill) {
    const marked = String(translator(language)(key, Object.fromEntries(names.map((n) => [n, `${MARK}${n}${MARK}`]))));
    // Even pieces are the catalogue's text, odd ones the names of the values between them.
    const pieces = marked.split(MARK);
    fill = (values) => {
      let text = pieces[0]!;
      for (let i = 1; i < pieces.length; i += 2) text += values[pieces[i]!]! + pieces[i + 1]!;
      return text;
    };
    templates.set(id, fill);
  }
  return fill;
}

const counted = new Map<string, Map<number, string>>();

/** A plural text by its count (days late: a few hundred values at most), worked out once per count. */
export function countText(language: MessageLanguage, key: string, count: number): string {
  const id = `${language}\u0000${key}`;
  let known = counted.get(id);
  if (!known) counted.set(id, (known = new Map()));
  let text = known.get(count);
  if (text === undefined) {
    text = String(translator(language)(key, { count }));
    if (known.size >= MAX_TEXTS) known.clear();
    known.set(count, text);
  }
  return text;
}

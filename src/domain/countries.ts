import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { ParseResult } from './money.ts';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/fr.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** Countries whose customers get French letters by default. */
const FRENCH_SPEAKING = new Set([
  'FR',
  'BE',
  'CH',
  'LU',
  'MC',
  'GP',
  'MQ',
  'GF',
  'RE',
  'YT',
  'PM',
  'NC',
  'PF',
  'WF',
  'BL',
  'MF',
]);

/** Reads `FR`, `FRA`, `France` or `Allemagne` as an ISO 3166 alpha-2 code. */
export function parseCountry(input: string): ParseResult<string> {
  const text = input.trim();
  const upper = text.toUpperCase();
  if (upper.length === 2 && countries.isValid(upper)) return { ok: true, value: upper };
  if (upper.length === 3 && countries.isValid(upper)) return { ok: true, value: countries.alpha3ToAlpha2(upper)! };
  const byName = countries.getAlpha2Code(text, 'fr') ?? countries.getAlpha2Code(text, 'en');
  if (byName) return { ok: true, value: byName };
  return {
    ok: false,
    reason: `"${input}" is not a country (use an ISO code such as FR)`,
    code: 'parse.notCountry',
    params: { value: input },
  };
}

export function defaultLanguageFor(country: string): 'fr' | 'en' {
  return FRENCH_SPEAKING.has(country) ? 'fr' : 'en';
}

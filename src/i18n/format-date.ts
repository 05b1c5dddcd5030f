import { ENGLISH_MONTHS } from '../domain/month-names.ts';

/** `15/03/2026` in French, `15 March 2026` in English, from the 'YYYY-MM-DD' string itself (no time zone). Pure: the web app uses it too. */
export function formatIsoDate(iso: string, language: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return language === 'en' ? `${Number(day)} ${ENGLISH_MONTHS[Number(month) - 1]} ${year}` : `${day}/${month}/${year}`;
}

const FRENCH_SHORT_MONTHS = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];

/** A 'YYYY-MM' month as a chart or a list names it: `déc. 2026` in French, `Dec 2026` in English. Pure (web too). */
export function formatYearMonth(yearMonth: string, language: string | undefined): string {
  const match = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) return yearMonth;
  const name = language === 'en' ? ENGLISH_MONTHS[index]!.slice(0, 3) : FRENCH_SHORT_MONTHS[index]!;
  return `${name} ${match[1]}`;
}

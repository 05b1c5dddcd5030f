import { locale } from './format.ts';

/**
 * A date-time with its offset ("2026-12-07T09:00+01:00") shown as the wall-clock time it names
 * ("lundi 7 décembre 2026 à 09:00"), whatever the browser's own time zone.
 */
export function dateTimeAt(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!match) return iso;
  const [, y, m, d, hh, mm] = match.map(Number) as [number, number, number, number, number, number];
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d, hh, mm),
  );
}

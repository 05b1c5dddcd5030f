import type { i18n as I18n } from 'i18next';
import { formatMoney } from '../domain/money.ts';
import { formatIsoDate } from './format-date.ts';

/**
 * The formats catalogue texts name, shared by the server and the web app: `{{date, isodate}}` prints a
 * 'YYYY-MM-DD' as its reader writes it (15/03/2026, 15 March 2026); `{{amount, money}}` prints cents in
 * the `currency` param (EUR when absent) as the reader writes money (1 234,56 €, €1,234.56); `{{gaps, keys}}`
 * says each of a comma-separated list of catalogue keys and joins them with semicolons (a list of any length,
 * whose items hold commas themselves, which a plain `$t()` cannot give); `{{rate, decimal}}` writes a decimal
 * string ("2.40") with the reader's separator.
 */
export function addFormatters(instance: I18n): void {
  instance.services.formatter?.add('isodate', (value: unknown, lng: string | undefined) =>
    formatIsoDate(String(value), lng),
  );
  instance.services.formatter?.add(
    'money',
    (value: unknown, lng: string | undefined, options: { currency?: string }) => {
      const cents = Number(value);
      if (!Number.isSafeInteger(cents)) return String(value);
      return formatMoney(cents, options.currency ?? 'EUR', lng === 'en' ? 'en-GB' : 'fr-FR');
    },
  );
  // A decimal number written as a string by the code ("2.40", a rate): the French reader's comma.
  instance.services.formatter?.add('decimal', (value: unknown, lng: string | undefined) =>
    lng === 'fr' ? String(value).replace('.', ',') : String(value),
  );
  instance.services.formatter?.add('keys', (value: unknown, lng: string | undefined, options: { ns?: string }) =>
    String(value)
      .split(',')
      .filter((key) => key.length > 0)
      .map((key) => instance.t(key, { lng, ...(options.ns ? { ns: options.ns } : {}) }))
      .join(lng === 'fr' ? ' ; ' : '; '),
  );
}

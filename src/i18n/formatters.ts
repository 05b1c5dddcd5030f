import type { i18n as I18n } from 'i18next';
import { formatMoney } from '../domain/money.ts';
import { formatIsoDate } from './format-date.ts';

/**
 * The formats catalogue texts name, shared by the server and the web app: `{{date, isodate}}` prints a
 * 'YYYY-MM-DD' as its reader writes it (15/03/2026, 15 March 2026); `{{amount, money}}` prints cents in
 * the `currency` param (EUR when absent) as the reader writes money (1 234,56 €, €1,234.56).
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
}

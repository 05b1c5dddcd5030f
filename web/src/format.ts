import { formatAmount, formatMoney, minorDigits, parseAmount as parseDomainAmount } from '../../src/domain/money.ts';
import { formatYearMonth } from '../../src/i18n/format-date.ts';
import i18n from './i18n/index.ts';

/** fr-FR formats in French (1 234,56 €, 15/03/2026); British English ones in English. */
export function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'fr-FR';
}

/** Cents shown in the reader's language (1 234,56 € / €1,234.56) by the domain's formatter, without a float. */
export function money(cents: number | null | undefined, currency = 'EUR'): string {
  if (cents === null || cents === undefined) return '—';
  return formatMoney(cents, currency, locale());
}

/** Cents as an amount a person edits ("1234,56" in French, "1234.56" in English), e.g. to prefill a field. */
export function amountInput(cents: number, currency = 'EUR'): string {
  const plain = formatAmount(cents, currency);
  return locale() === 'fr-FR' ? plain.replace('.', ',') : plain;
}

/** Cents as whole currency units, for chart axes and bars (rounded half away from zero, no float division). */
export function wholeUnits(cents: number, currency = 'EUR'): number {
  const unit = 10 ** minorDigits(currency);
  const units = Math.trunc(cents / unit);
  return Math.abs(cents % unit) * 2 >= unit ? units + Math.sign(cents) : units;
}

/** Whole units for chart axes ("12 346 €"). */
export function wholeMoney(units: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 0 }).format(units);
}

/** Per-currency amounts, e.g. the balance of a category: "1 234,00 € · 50,00 $". */
export function moneyMap(amounts: Record<string, number>): string {
  const entries = Object.entries(amounts);
  return entries.length === 0 ? money(0) : entries.map(([currency, cents]) => money(cents, currency)).join(' · ');
}

/** A 'YYYY-MM-DD' date shown as 15/03/2026, without going through a time zone. */
export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** A 'YYYY-MM' month as the reader names it ("déc. 2026", "Dec 2026"). */
export function month(yearMonth: string): string {
  return formatYearMonth(yearMonth, i18n.language);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso
    : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(at);
}

export function count(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** An amount typed by a person ("1 234,56", "1234.5", "12 €") to cents by the domain's parser; null when it is not a positive or zero amount. */
export function parseAmount(text: string, currency = 'EUR'): number | null {
  const parsed = parseDomainAmount(text, currency);
  return parsed.ok && parsed.value >= 0 ? parsed.value : null;
}

/** Today in the browser's own time zone as 'YYYY-MM-DD' (toISOString would give the UTC date, a day off around midnight). */
export function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

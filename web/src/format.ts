import i18n from './i18n/index.ts';

/** fr-FR formats in French (1 234,56 €, 15/03/2026); British English ones in English. */
export function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'fr-FR';
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
export function money(cents: number | null | undefined, currency = 'EUR'): string {
  if (cents === null || cents === undefined) return '—';
  const key = `${locale()}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale(), { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(cents / 100);
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

/** Euros typed by a person ("1 234,56", "1234.5") to cents; null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** Today in the browser's own time zone as 'YYYY-MM-DD' (toISOString would give the UTC date, a day off around midnight). */
export function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

import { formatMoney } from '../domain/money.ts';
import { formatIsoDate } from '../i18n/format-date.ts';

/** A plain text table with right-aligned numeric columns, for terminals and pipes alike. */
export function table(headers: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function money(cents: number, currency: string, locale: string): string {
  return formatMoney(cents, currency, locale === 'en' ? 'en-GB' : 'fr-FR');
}

/** A total per currency ("1 234,56 € + 50 000 ¥"): amounts in different currencies are never added. */
export function moneyByCurrency(
  items: { balance: number; currency: string }[],
  locale: string,
  fallback: string,
): string {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.balance);
  if (totals.size === 0) return money(0, fallback, locale);
  return [...totals].map(([currency, cents]) => money(cents, currency, locale)).join(' + ');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A 'YYYY-MM-DD' date as the reader writes it (15/03/2026 in French, 15 March 2026 in English). */
export function shownDate(iso: string, language: 'fr' | 'en'): string {
  return formatIsoDate(iso, language);
}

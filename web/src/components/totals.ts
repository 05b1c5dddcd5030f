import type { InvoiceListItem, Totals } from '../api/types.ts';

/** Totals per currency of rows already loaded (the selection), the same shape as /invoices/totals. */
export function totalsOf(rows: Iterable<InvoiceListItem>): Totals {
  const byCurrency = new Map<string, Totals[number]>();
  for (const row of rows) {
    const t = byCurrency.get(row.currency) ?? {
      currency: row.currency,
      count: 0,
      totalExclTax: 0,
      total: 0,
      balance: 0,
    };
    t.count++;
    t.totalExclTax += row.totalExclTax ?? 0;
    t.total += row.total;
    t.balance += row.balance;
    byCurrency.set(row.currency, t);
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

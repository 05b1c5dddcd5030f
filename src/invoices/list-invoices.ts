import { buildPlan } from '../domain/dunning/engine.ts';
import { companyToday } from '../accounts/view-company.ts';
import { categoryOf, refreshCategories } from '../dunning/categories.ts';
import { loadDunningInputs } from '../dunning/load-inputs.ts';
import type { Viewer } from '../shared/viewer.ts';
import type { Db } from '../storage/database.ts';
import {
  invoiceTotals,
  listInvoices,
  sortValue,
  type InvoiceFilter,
  type InvoiceListItem,
  type InvoiceSort,
  type InvoiceTotals,
} from '../storage/invoices.ts';

/** The list's vocabulary: what it filters and sorts on, and the sort key a cursor carries. */
export { INVOICE_SORTS, INVOICE_STATUS_FILTERS, sortValue } from '../storage/invoices.ts';

/** A list filter as the caller gives it; which customers the viewer may see is the use case's to add. */
export type InvoiceListFilter = Omit<InvoiceFilter, 'customerSalesRep'>;

/** Only the customers of the viewer's représentant, whatever the filter says. */
function seenBy(who: Viewer, filter: InvoiceListFilter): InvoiceFilter {
  return { ...filter, customerSalesRep: who.salesRep ?? undefined };
}

/**
 * Invoice numbers in a category on a date other than today, from a plan of the company's open invoices
 * (seconds at a million); today's categories come from the per-invoice cache (src/dunning/categories.ts).
 */
async function categoryNumbers(
  db: Db,
  companyId: string,
  filter: InvoiceFilter,
  category: string,
): Promise<Set<string>> {
  const inputs = await loadDunningInputs(db, companyId, { customerCode: filter.customerCode });
  const plan = buildPlan(inputs, filter.asOf);
  return new Set(plan.items.filter((i) => categoryOf(i) === category).map((i) => i.invoice));
}

/** Whether the filter's date is the company's today, for which the cached categories are kept fresh. */
export async function isToday(db: Db, companyId: string, asOf: string): Promise<boolean> {
  return asOf === (await companyToday(db, companyId));
}

const BATCH = 2000;

/**
 * One keyset page and one row more (which tells that another page follows); with a category, SQL pages are
 * read until enough rows of that category are found.
 */
export async function listInvoicePage(
  db: Db,
  who: Viewer,
  listFilter: InvoiceListFilter,
  options: { category?: string; after?: InvoiceFilter['after']; limit: number; sort: InvoiceSort; desc?: boolean },
): Promise<InvoiceListItem[]> {
  const { companyId } = who;
  const filter = seenBy(who, listFilter);
  let after = options.after;
  const base = { ...filter, sort: options.sort, desc: options.desc };
  if (!options.category) return listInvoices(db, companyId, { ...base, after, limit: options.limit + 1 });
  if (await isToday(db, companyId, filter.asOf)) {
    await refreshCategories(db, companyId, filter.asOf);
    return listInvoices(db, companyId, { ...base, cachedCategory: options.category, after, limit: options.limit + 1 });
  }
  const wanted = await categoryNumbers(db, companyId, filter, options.category);
  const found: InvoiceListItem[] = [];
  for (;;) {
    const batch = await listInvoices(db, companyId, { ...base, after, limit: BATCH });
    for (const row of batch) {
      if (wanted.has(row.number)) found.push(row);
      if (found.length > options.limit) return found;
    }
    if (batch.length < BATCH) return found;
    const last = batch[batch.length - 1]!;
    after = { number: last.number, value: sortValue(last, options.sort) };
  }
}

/** Beyond this many matches a search's totals say "more than" instead of counting and summing every match. */
export const SEARCH_TOTALS_CAP = 1000;

export type FilterTotals = { totals: InvoiceTotals; moreThan?: number };

/** A search's totals capped (one more match read than the cap tells that there are more); a filter's, exact. */
function capped(totals: InvoiceTotals, filter: InvoiceFilter): FilterTotals {
  if (!filter.text || totals.reduce((n, t) => n + t.count, 0) <= SEARCH_TOTALS_CAP) return { totals };
  return { totals: [], moreThan: SEARCH_TOTALS_CAP };
}

/** Count and totals per currency of what a filter matches, among the invoices the viewer may see. */
export async function invoiceFilterTotals(
  db: Db,
  who: Viewer,
  listFilter: InvoiceListFilter,
  category?: string,
): Promise<FilterTotals> {
  const { companyId } = who;
  const filter = seenBy(who, listFilter);
  const options = { searchCap: SEARCH_TOTALS_CAP };
  if (!category) return capped(await invoiceTotals(db, companyId, filter, options), filter);
  if (await isToday(db, companyId, filter.asOf)) {
    await refreshCategories(db, companyId, filter.asOf);
    return capped(await invoiceTotals(db, companyId, { ...filter, cachedCategory: category }, options), filter);
  }
  const wanted = await categoryNumbers(db, companyId, filter, category);
  const totals = new Map<string, InvoiceTotals[number]>();
  let after: { number: string } | undefined;
  for (;;) {
    const batch = await listInvoices(db, companyId, { ...filter, after, limit: 10_000 });
    for (const row of batch) {
      if (!wanted.has(row.number)) continue;
      const t = totals.get(row.currency) ?? { currency: row.currency, count: 0, totalExclTax: 0, total: 0, balance: 0 };
      t.count++;
      t.totalExclTax += row.totalExclTax ?? 0;
      t.total += row.total;
      t.balance += row.balance;
      totals.set(row.currency, t);
    }
    if (batch.length < 10_000) break;
    after = { number: batch[batch.length - 1]!.number };
  }
  return { totals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)) };
}

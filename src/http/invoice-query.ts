import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { todayIn } from '../domain/calendar.ts';
import { buildPlan } from '../domain/dunning/engine.ts';
import { categoryOf, refreshCategories } from '../dunning/categories.ts';
import { loadDunningInputs } from '../dunning/load-inputs.ts';
import { getCompany } from '../storage/companies.ts';
import {
  INVOICE_STATUS_FILTERS,
  invoiceTotals,
  listInvoices,
  sortValue,
  type InvoiceFilter,
  type InvoiceSort,
  type InvoiceListItem,
  type InvoiceTotals,
} from '../storage/invoices.ts';
import type { Database } from '../storage/schema.ts';
import { scopeOf } from './auth.ts';
import { decodeCursor } from './cursor.ts';
import { IsoDateSchema } from './schemas.ts';

/** The filters of the invoice list, shared by the list and its totals. */
export const InvoiceQuerySchema = z.object({
  status: z.enum(INVOICE_STATUS_FILTERS).optional(),
  category: z
    .string()
    .regex(
      /^(level-\d{1,2}(-in-progress)?|out-of-cycle|upcoming|held-[a-z-]{1,20})$/,
      'level-N, level-N-in-progress, out-of-cycle, upcoming or held-REASON',
    )
    .optional()
    .describe(
      'reminder category of the "Relances" view: level-N (to send), level-N-in-progress, out-of-cycle, upcoming (overdue, ' +
        'first reminder to come), held-disputed|blocked|below-minimum|paused|promised|no-contact (overdue and held)',
    ),
  customerId: z.string().max(100).optional(),
  customer: z.string().max(50).optional().describe('customer code'),
  salesRep: z.string().max(100).optional(),
  dueFrom: IsoDateSchema.optional(),
  dueTo: IsoDateSchema.optional(),
  balance: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe(
      'only invoices whose balance is exactly this many minor units (cents): those a bank credit of that amount may pay',
    ),
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      'search: invoices whose number starts with q (as typed, in capitals or small letters) ' +
        'and every invoice of the customers whose code or name contains q, accents and case ignored; with customer or customerId, any part of ' +
        "that customer's invoice numbers and titles",
    ),
  asOf: IsoDateSchema.optional().describe('date lateness is counted at (default: today in the company time zone)'),
});
export type InvoiceQuery = z.infer<typeof InvoiceQuerySchema>;

// The company's time zone, read once a minute at most, and its date worked out once a second at most
// (the Temporal polyfill's time zone arithmetic is not free): listing is the hottest route.
const zones = new Map<string, { zone: string; at: number; today: string; todayAt: number }>();
export async function companyToday(db: Kysely<Database>, companyId: string): Promise<string> {
  const now = Date.now();
  let cached = zones.get(companyId);
  if (!cached || now - cached.at >= 60_000) {
    const zone = (await getCompany(db, companyId)).timeZone;
    cached = { zone, at: now, today: todayIn(zone), todayAt: now };
    zones.set(companyId, cached);
  } else if (now - cached.todayAt >= 1_000) {
    cached.today = todayIn(cached.zone);
    cached.todayAt = now;
  }
  return cached.today;
}

export async function toFilter(
  db: Kysely<Database>,
  request: FastifyRequest,
  query: InvoiceQuery,
): Promise<InvoiceFilter> {
  const scope = scopeOf(request);
  return {
    status: query.status,
    customerId: query.customerId,
    customerCode: query.customer,
    salesRep: query.salesRep,
    customerSalesRep: scope.salesRep ?? undefined,
    dueFrom: query.dueFrom,
    dueTo: query.dueTo,
    balance: query.balance,
    text: query.q,
    asOf: query.asOf ?? (await companyToday(db, scope.companyId)),
  };
}

/**
 * Invoice numbers in a category on a date other than today, from a plan of the company's open invoices
 * (seconds at a million); today's categories come from the per-invoice cache (src/dunning/categories.ts).
 */
async function categoryNumbers(
  db: Kysely<Database>,
  companyId: string,
  filter: InvoiceFilter,
  category: string,
): Promise<Set<string>> {
  const inputs = await loadDunningInputs(db, companyId, { customerCode: filter.customerCode });
  const plan = buildPlan(inputs, filter.asOf);
  return new Set(plan.items.filter((i) => categoryOf(i) === category).map((i) => i.invoice));
}

/** Whether the filter's date is the company's today, for which the cached categories are kept fresh. */
export async function isToday(db: Kysely<Database>, companyId: string, asOf: string): Promise<boolean> {
  return asOf === (await companyToday(db, companyId));
}

const BATCH = 2000;

/** One keyset page; with a category, SQL pages are read until enough rows of that category are found. */
export async function invoicePage(
  db: Kysely<Database>,
  companyId: string,
  filter: InvoiceFilter,
  options: { category?: string; cursor?: string; limit: number; sort: InvoiceSort; desc?: boolean },
): Promise<InvoiceListItem[]> {
  const start = options.cursor ? decodeCursor(options.cursor) : undefined;
  let after: InvoiceFilter['after'] = start ? { number: start.n, value: start.v ?? start.d } : undefined;
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

export async function invoiceFilterTotals(
  db: Kysely<Database>,
  companyId: string,
  filter: InvoiceFilter,
  category?: string,
): Promise<FilterTotals> {
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

export { buildPlan, categoryOf, loadDunningInputs };

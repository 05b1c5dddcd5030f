import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { todayIn } from '../domain/calendar.ts';
import { buildPlan, type PlanItem } from '../domain/dunning/engine.ts';
import { loadDunningInputs } from '../dunning/load-inputs.ts';
import { getCompany } from '../storage/companies.ts';
import {
  INVOICE_STATUS_FILTERS, invoiceTotals, listInvoices, type InvoiceFilter, type InvoiceListItem, type InvoiceTotals,
} from '../storage/invoices.ts';
import type { Database } from '../storage/schema.ts';
import { scopeOf } from './auth.ts';
import { decodeCursor } from './cursor.ts';
import { IsoDateSchema } from './schemas.ts';

/** The filters of the invoice list, shared by the list and its totals. */
export const InvoiceQuerySchema = z.object({
  status: z.enum(INVOICE_STATUS_FILTERS).optional(),
  category: z.string().regex(/^(level-\d{1,2}(-in-progress)?|out-of-cycle)$/, 'level-N, level-N-in-progress or out-of-cycle').optional()
    .describe('reminder category of the "Relances" view: level-N (to send), level-N-in-progress, out-of-cycle'),
  customerId: z.string().max(100).optional(),
  customer: z.string().max(50).optional().describe('customer code'),
  salesRep: z.string().max(100).optional(),
  dueFrom: IsoDateSchema.optional(),
  dueTo: IsoDateSchema.optional(),
  q: z.string().max(200).optional().describe('part of the number, title, customer code or name'),
  asOf: IsoDateSchema.optional().describe('date lateness is counted at (default: today in the company time zone)'),
});
export type InvoiceQuery = z.infer<typeof InvoiceQuerySchema>;

// The company's time zone, read once a minute at most: listing is the hottest route.
const zones = new Map<string, { zone: string; at: number }>();
async function companyToday(db: Kysely<Database>, companyId: string): Promise<string> {
  const cached = zones.get(companyId);
  if (cached && Date.now() - cached.at < 60_000) return todayIn(cached.zone);
  const zone = (await getCompany(db, companyId)).timeZone;
  zones.set(companyId, { zone, at: Date.now() });
  return todayIn(zone);
}

export async function toFilter(db: Kysely<Database>, request: FastifyRequest, query: InvoiceQuery): Promise<InvoiceFilter> {
  const scope = scopeOf(request);
  return {
    status: query.status, customerId: query.customerId, customerCode: query.customer, salesRep: query.salesRep,
    customerSalesRep: scope.salesRep ?? undefined, dueFrom: query.dueFrom, dueTo: query.dueTo, text: query.q,
    asOf: query.asOf ?? await companyToday(db, scope.companyId),
  };
}

/** The category of a plan item, as eKo's "Relances" view groups them (see summarise in plan-summary.ts). */
export function categoryOf(item: PlanItem): string | null {
  if (item.action === 'send') return `level-${item.nextLevel}`;
  if (item.reason?.code === 'out_of_cycle') return 'out-of-cycle';
  if ((item.reason?.code === 'not_yet_due' || item.reason?.code === 'too_soon') && item.lastLevel > 0) {
    return `level-${item.lastLevel}-in-progress`;
  }
  return null;
}

/**
 * Invoice numbers in a category on a date. Categories come from the planner, not from a column, so this
 * plans the company's open invoices (fine for thousands; seconds at a million — see the report).
 */
async function categoryNumbers(db: Kysely<Database>, companyId: string, filter: InvoiceFilter, category: string): Promise<Set<string>> {
  const inputs = await loadDunningInputs(db, companyId, { customerCode: filter.customerCode });
  const plan = buildPlan(inputs, filter.asOf);
  return new Set(plan.items.filter((i) => categoryOf(i) === category).map((i) => i.invoice));
}

const BATCH = 2000;

/** One keyset page; with a category, SQL pages are read until enough rows of that category are found. */
export async function invoicePage(db: Kysely<Database>, companyId: string, filter: InvoiceFilter, options:
  { category?: string; cursor?: string; limit: number; sort: 'number' | 'dueDate' }): Promise<InvoiceListItem[]> {
  const start = options.cursor ? decodeCursor(options.cursor) : undefined;
  let after = start ? { number: start.n, dueDate: start.d } : undefined;
  const base = { ...filter, sort: options.sort };
  if (!options.category) return listInvoices(db, companyId, { ...base, after, limit: options.limit + 1 });
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
    after = { number: last.number, dueDate: last.dueDate };
  }
}

export async function invoiceFilterTotals(db: Kysely<Database>, companyId: string, filter: InvoiceFilter, category?: string):
  Promise<InvoiceTotals> {
  if (!category) return invoiceTotals(db, companyId, filter);
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
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

export { buildPlan, loadDunningInputs };

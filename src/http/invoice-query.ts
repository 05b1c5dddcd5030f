import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { companyToday } from '../accounts/view-company.ts';
import { INVOICE_STATUS_FILTERS, listInvoicePage, type InvoiceListFilter } from '../invoices/list-invoices.ts';
import type { Db } from '../storage/database.ts';
import type { InvoiceListItem, InvoiceSort } from '../storage/invoices.ts';
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

/** The list's filter from the query; the représentant a restricted collector is limited to is the use case's. */
export async function toFilter(db: Db, request: FastifyRequest, query: InvoiceQuery): Promise<InvoiceListFilter> {
  return {
    status: query.status,
    customerId: query.customerId,
    customerCode: query.customer,
    salesRep: query.salesRep,
    dueFrom: query.dueFrom,
    dueTo: query.dueTo,
    balance: query.balance,
    text: query.q,
    asOf: query.asOf ?? (await companyToday(db, scopeOf(request).companyId)),
  };
}

/** One keyset page (and one row more) from the client's opaque cursor. */
export async function invoicePage(
  db: Db,
  request: FastifyRequest,
  filter: InvoiceListFilter,
  options: { category?: string; cursor?: string; limit: number; sort: InvoiceSort; desc?: boolean },
): Promise<InvoiceListItem[]> {
  const start = options.cursor ? decodeCursor(options.cursor) : undefined;
  return listInvoicePage(db, scopeOf(request), filter, {
    category: options.category,
    after: start ? { number: start.n, value: start.v ?? start.d } : undefined,
    limit: options.limit,
    sort: options.sort,
    desc: options.desc,
  });
}

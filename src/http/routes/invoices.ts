import { z } from 'zod';
import { companyToday } from '../../accounts/view-company.ts';
import { cancelInvoice } from '../../invoices/cancel-invoice.ts';
import { createInvoice } from '../../invoices/create-invoice.ts';
import { setDispute } from '../../invoices/set-dispute.ts';
import { setPaymentSchedule } from '../../invoices/set-payment-schedule.ts';
import { setPromiseToPay } from '../../invoices/set-promise-to-pay.ts';
import { invoiceAllocations, invoiceDetail, invoicePdf } from '../../invoices/invoice-detail.ts';
import { INVOICE_SORTS, invoiceFilterTotals, isToday, sortValue } from '../../invoices/list-invoices.ts';
import type { Invoice } from '../../domain/ledger.ts';
import type { Actor } from '../../shared/actor.ts';
import type { Db } from '../../storage/database.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { encodeCursor } from '../cursor.ts';
import { requestLanguage } from '../language.ts';
import { fastSerializerCompiler } from '../serializer.ts';
import { invoicePage, InvoiceQuerySchema, toFilter } from '../invoice-query.ts';
import { relanceCategories } from '../../dunning/category-view.ts';
import {
  AllocationDetailSchema,
  IdParamsSchema,
  InvoiceDetailSchema,
  InvoiceListItemSchema,
  InvoiceSchema,
  IsoDateSchema,
  page,
  problems,
  TotalsSchema,
} from '../schemas.ts';

const tags = ['invoices'];

export function invoiceRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/invoices',
    {
      config: { access: 'invoices.view' },
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags,
        summary:
          'Invoices with balance and lateness: filters, keyset pages (cursor), sorted by number, due date, issue date, ' +
          'amount or balance, ascending or descending',
        querystring: InvoiceQuerySchema.extend({
          sort: z.enum(INVOICE_SORTS).default('number'),
          order: z.enum(['asc', 'desc']).default('asc'),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: page(InvoiceListItemSchema), ...problems },
      },
    },
    async (request) => {
      const { sort, order, cursor, limit, category } = request.query;
      const filter = await toFilter(api.db, request, request.query);
      const rows = await invoicePage(api.db, request, filter, {
        category,
        cursor,
        limit,
        sort,
        desc: order === 'desc',
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(sort === 'number' ? { n: last.number } : { n: last.number, v: sortValue(last, sort) })
            : null,
      };
    },
  );

  api.get(
    '/api/v1/invoices/totals',
    {
      config: { access: 'invoices.view' },
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags,
        summary: 'Count and totals (excl. tax, incl. tax, balance) per currency of everything a filter matches',
        querystring: InvoiceQuerySchema,
        response: { 200: TotalsSchema, ...problems },
      },
    },
    async (request) =>
      invoiceFilterTotals(
        api.db,
        scopeOf(request),
        await toFilter(api.db, request, request.query),
        request.query.category,
      ),
  );

  api.get(
    '/api/v1/invoices/categories',
    {
      config: { access: 'invoices.view' },
      schema: {
        tags,
        summary: 'The "Relances" view: each reminder category with its count and balance per currency',
        querystring: z.object({ asOf: IsoDateSchema.optional() }),
        response: {
          200: z.object({
            date: IsoDateSchema,
            categories: z.array(
              z.object({
                key: z.string(),
                label: z
                  .string()
                  .describe(
                    "the category's name in the reader's language (Accept-Language, else the company's): the fixed " +
                      "categories from the catalogue, a level by the policies' own step names",
                  ),
                level: z.number().int().nullable().describe('the reminder level of a level-N category, else null'),
                inProgress: z.boolean().describe('a reminder of this level is waiting to leave'),
                stepLabels: z
                  .array(z.string())
                  .describe("the policies' own names of this step (joined with ' / '); empty when none names it"),
                count: z.number().int(),
                balance: z.record(z.string(), z.number().int()),
              }),
            ),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const asOf = request.query.asOf ?? (await companyToday(api.db, scope.companyId));
      return {
        date: asOf,
        categories: await relanceCategories(api.db, scope.companyId, {
          asOf,
          today: await isToday(api.db, scope.companyId, asOf),
          salesRep: scope.salesRep ?? undefined,
          language: requestLanguage(request),
        }),
      };
    },
  );

  api.post(
    '/api/v1/invoices',
    {
      config: { access: 'invoices.create' },
      schema: {
        tags,
        summary: 'Create an invoice',
        body: z.object({
          number: z.string().trim().min(1).max(50),
          customerId: z.string().max(100),
          issueDate: IsoDateSchema,
          dueDate: IsoDateSchema,
          currency: z.string().length(3).default('EUR'),
          total: z.number().int().positive(),
          totalExclTax: z.number().int().nullable().default(null),
          title: z.string().max(200).nullable().default(null),
          salesRep: z.string().max(100).nullable().default(null),
        }),
        response: { 201: InvoiceSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await createInvoice(api.db, actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/invoices/:id',
    {
      config: { access: 'invoices.view' },
      schema: {
        tags,
        summary: 'An invoice with what it received, its reminders and payment schedule',
        params: IdParamsSchema,
        response: { 200: InvoiceDetailSchema, ...problems },
      },
    },
    async (request) => invoiceDetail(api.db, scopeOf(request), request.params.id),
  );

  api.get(
    '/api/v1/invoices/:id/allocations',
    {
      config: { access: 'invoices.view' },
      schema: {
        tags,
        summary: 'Payments and credit notes allocated to an invoice',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(AllocationDetailSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await invoiceAllocations(api.db, scopeOf(request), request.params.id) }),
  );

  api.get(
    '/api/v1/invoices/:id/pdf',
    {
      config: { access: 'invoices.view' },
      schema: {
        tags,
        summary: "The invoice's own stored PDF (application/pdf)",
        params: IdParamsSchema,
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const file = await invoicePdf(api.db, scopeOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${file.filename.replace(/"/g, '')}"`)
        .send(Buffer.from(file.content) as never);
    },
  );

  const change = <B>(
    url: string,
    summary: string,
    body: z.ZodType<B>,
    useCase: (db: Db, actor: Actor, id: string, input: B) => Promise<Invoice>,
    access: 'invoices.follow-up' | 'invoices.cancel' = 'invoices.follow-up',
  ) => {
    api.put(
      url,
      {
        config: { access },
        schema: { tags, summary, params: IdParamsSchema, body, response: { 200: InvoiceSchema, ...problems } },
      },
      async (request) => useCase(api.db, actorOf(request), request.params.id, request.body as B),
    );
  };
  change(
    '/api/v1/invoices/:id/dispute',
    'Mark disputed (a reason) or clear the dispute (null): no reminder while disputed',
    z.object({ reason: z.string().min(1).max(500).nullable() }),
    setDispute,
  );
  change(
    '/api/v1/invoices/:id/promise',
    'Record a promise to pay by a date (null clears it): no reminder until then',
    z.object({ date: IsoDateSchema.nullable() }),
    setPromiseToPay,
  );
  change(
    '/api/v1/invoices/:id/cancel',
    'Cancel an invoice without payments or credit notes',
    z.object({}),
    cancelInvoice,
    'invoices.cancel',
  );
  change(
    '/api/v1/invoices/:id/schedule',
    'Split the balance into instalments (échéancier)',
    z.object({
      instalments: z
        .array(z.object({ seq: z.number().int().min(1), dueDate: IsoDateSchema, amount: z.number().int().positive() }))
        .min(1)
        .max(120),
    }),
    setPaymentSchedule,
  );
}

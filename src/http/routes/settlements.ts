import { z } from 'zod';
import { PaymentMethodSchema } from '../../domain/ledger.ts';
import { MEDIA_TYPES } from '../../exports/render.ts';
import { paymentsExport } from '../../payments/payments-export.ts';
import { companyDate } from '../../accounts/view-company.ts';
import { deletePayment } from '../../settlements/delete-payment.ts';
import { listCreditNotePage, listPaymentPage } from '../../settlements/list-settlements.ts';
import { recordCreditNote } from '../../settlements/record-credit-note.ts';
import { recordIncomingPayment } from '../../settlements/record-incoming-payment.ts';
import { recordPayment } from '../../settlements/record-payment.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import {
  CreditNoteSchema,
  IdParamsSchema,
  IsoDateSchema,
  OkSchema,
  page,
  PaymentListItemSchema,
  PaymentSchema,
  problems,
} from '../schemas.ts';

const AllocationsSchema = z
  .array(z.object({ invoiceId: z.string().max(100), amount: z.number().int().positive() }))
  .max(500)
  .default([]);
const ListQuery = z.object({
  customerId: z.string().max(100).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const PaymentQuery = ListQuery.extend({
  method: PaymentMethodSchema.optional(),
  from: IsoDateSchema.optional().describe('paid on or after'),
  to: IsoDateSchema.optional().describe('paid on or before'),
});

export function settlementRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/payments',
    {
      config: { access: 'payments.view' },
      schema: {
        tags: ['payments'],
        summary: 'Payments (encaissements), newest first, with what is left unallocated',
        querystring: PaymentQuery,
        response: { 200: page(PaymentListItemSchema), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const { customerId, cursor, limit, method, from, to } = request.query;
      return listPaymentPage(api.db, scope, { customerId, method, from, to, cursor, limit });
    },
  );

  api.get(
    '/api/v1/payments/export',
    {
      config: { access: 'payments.view' },
      schema: {
        tags: ['payments'],
        summary: 'The payments list, filtered as on screen, as a CSV or XLSX file',
        querystring: PaymentQuery.omit({ cursor: true, limit: true }).extend({
          format: z.enum(['csv', 'xlsx']).default('csv'),
        }),
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { format, ...filter } = request.query;
      const today = await companyDate(api.db, scope.companyId);
      const file = await paymentsExport(
        api.db,
        scope.companyId,
        { ...filter, customerSalesRep: scope.salesRep ?? undefined },
        format,
        today,
      );
      return reply
        .type(MEDIA_TYPES[format])
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.bytes as never);
    },
  );

  api.post(
    '/api/v1/payments',
    {
      config: { access: 'payments.record' },
      schema: {
        tags: ['payments'],
        summary: 'Record a payment and allocate it to invoices (the rest stays as credit)',
        body: z.object({
          customerId: z.string().max(100),
          date: IsoDateSchema,
          currency: z.string().length(3).default('EUR'),
          amount: z.number().int().positive(),
          method: PaymentMethodSchema,
          reference: z.string().max(200).nullable().default(null),
          allocations: AllocationsSchema,
        }),
        response: { 201: PaymentSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await recordPayment(api.db, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/payments/:id',
    {
      config: { access: 'payments.delete' },
      schema: {
        tags: ['payments'],
        summary: 'Remove a payment recorded by mistake (balances come back)',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await deletePayment(api.db, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/credit-notes',
    {
      config: { access: 'payments.view' },
      schema: {
        tags: ['credit notes'],
        summary: 'Credit notes (avoirs), newest first',
        querystring: ListQuery,
        response: { 200: page(CreditNoteSchema), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const { customerId, cursor, limit } = request.query;
      return listCreditNotePage(api.db, scope, { customerId, cursor, limit });
    },
  );

  api.post(
    '/api/v1/credit-notes',
    {
      config: { access: 'payments.record' },
      schema: {
        tags: ['credit notes'],
        summary: 'Record a credit note (avoir) and allocate it to invoices',
        body: z.object({
          number: z.string().trim().min(1).max(50),
          customerId: z.string().max(100),
          date: IsoDateSchema,
          currency: z.string().length(3).default('EUR'),
          total: z.number().int().positive(),
          reason: z.string().max(500).nullable().default(null),
          allocations: AllocationsSchema,
        }),
        response: { 201: CreditNoteSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await recordCreditNote(api.db, actorOf(request), request.body)),
  );

  api.post(
    '/api/v1/incoming/payments',
    {
      config: { access: 'payments.record' },
      schema: {
        tags: ['payments'],
        summary:
          'For accounting tools: push a payment of an invoice by number; the same reference twice ' +
          'records it once. A payment that settles the invoice stops its reminders.',
        body: z.object({
          invoice: z.string().min(1).max(50),
          amount: z.number().int().positive(),
          date: IsoDateSchema,
          method: PaymentMethodSchema.default('transfer'),
          reference: z.string().min(1).max(200),
        }),
        response: { 200: z.object({ payment: PaymentSchema, duplicate: z.boolean() }), ...problems },
      },
    },
    async (request) => recordIncomingPayment(api.db, actorOf(request), request.body),
  );
}

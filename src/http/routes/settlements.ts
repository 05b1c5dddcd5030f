import { z } from 'zod';
import { PaymentMethodSchema } from '../../domain/ledger.ts';
import { recordCreditNote, recordPayment, type AllocationInput } from '../../storage/allocations.ts';
import { getCustomer } from '../../storage/customers.ts';
import type { Db } from '../../storage/database.ts';
import { getInvoice, getInvoiceByNumber } from '../../storage/invoices.ts';
import { findPaymentByImportKey, listCreditNotes, listPayments } from '../../storage/settlements.ts';
import { getCompany } from '../../storage/companies.ts';
import { todayIn } from '../../domain/calendar.ts';
import { MEDIA_TYPES } from '../../exports/render.ts';
import { cancelPayment } from '../../payments/cancel-payment.ts';
import { paymentsExport } from '../../payments/payments-export.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { enqueueEvent } from '../../storage/webhooks.ts';
import { assertVisible, scopeOf, type Scope } from '../auth.ts';
import { actorOf, audit, type ZodApi } from '../context.ts';
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

/** invoice.paid for every allocated invoice the change settled, queued in the change's transaction. */
async function announcePaid(db: Db, companyId: string, allocations: AllocationInput[]): Promise<void> {
  for (const invoiceId of new Set(allocations.map((a) => a.invoiceId))) {
    const invoice = await getInvoice(db, companyId, invoiceId);
    if (invoice.allocated >= invoice.total) {
      await enqueueEvent(db, companyId, 'invoice.paid', {
        invoiceId: invoice.id,
        number: invoice.number,
        total: invoice.total,
        currency: invoice.currency,
      });
    }
  }
}

async function visibleCustomer(db: Db, scope: Scope, customerId: string): Promise<void> {
  assertVisible(scope, await getCustomer(db, scope.companyId, customerId), `customer with id ${customerId}`);
}

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
      const rows = await listPayments(api.db, scope.companyId, {
        customerId,
        method,
        from,
        to,
        before: cursor,
        limit: limit + 1,
        customerSalesRep: scope.salesRep ?? undefined,
      });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
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
      const company = await getCompany(api.db, scope.companyId);
      const file = await paymentsExport(
        api.db,
        scope.companyId,
        { ...filter, customerSalesRep: scope.salesRep ?? undefined },
        format,
        todayIn(company.timeZone),
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
    async (request, reply) => {
      const scope = scopeOf(request);
      const payment = await inTransaction(api.db, async (trx) => {
        await visibleCustomer(trx, scope, request.body.customerId);
        const recorded = await recordPayment(trx, scope.companyId, request.body);
        await announcePaid(trx, scope.companyId, request.body.allocations);
        await audit(request, trx, 'payment.recorded', recorded.id, {
          amount: recorded.amount,
          currency: recorded.currency,
        });
        return recorded;
      });
      return reply.code(201).send(payment);
    },
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
      await cancelPayment(api.db, actorOf(request), request.params.id);
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
      const rows = await listCreditNotes(api.db, scope.companyId, {
        customerId,
        before: cursor,
        limit: limit + 1,
        customerSalesRep: scope.salesRep ?? undefined,
      });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
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
    async (request, reply) => {
      const scope = scopeOf(request);
      const note = await inTransaction(api.db, async (trx) => {
        await visibleCustomer(trx, scope, request.body.customerId);
        const recorded = await recordCreditNote(trx, scope.companyId, request.body);
        await announcePaid(trx, scope.companyId, request.body.allocations);
        await audit(request, trx, 'credit_note.recorded', recorded.number, {
          total: recorded.total,
          currency: recorded.currency,
        });
        return recorded;
      });
      return reply.code(201).send(note);
    },
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
    async (request) => {
      const scope = scopeOf(request);
      const importKey = `api:${request.body.reference}`;
      const recorded = await inTransaction(api.db, async (trx) => {
        const existing = await findPaymentByImportKey(trx, scope.companyId, importKey);
        if (existing) return { payment: existing, duplicate: true };
        const invoice = await getInvoiceByNumber(trx, scope.companyId, request.body.invoice);
        await visibleCustomer(trx, scope, invoice.customerId);
        const allocations = [{ invoiceId: invoice.id, amount: request.body.amount }];
        const payment = await recordPayment(trx, scope.companyId, {
          customerId: invoice.customerId,
          date: request.body.date,
          currency: invoice.currency,
          amount: request.body.amount,
          method: request.body.method,
          reference: request.body.reference,
          importKey,
          allocations,
        });
        await announcePaid(trx, scope.companyId, allocations);
        await audit(request, trx, 'payment.incoming', invoice.number, {
          amount: request.body.amount,
          reference: request.body.reference,
        });
        return { payment, duplicate: false };
      });
      return recorded;
    },
  );
}

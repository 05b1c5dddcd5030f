import { z } from 'zod';
import { QuoteStatusSchema } from '../../domain/ledger.ts';
import { getCustomer } from '../../storage/customers.ts';
import { createQuote, listQuotes, setQuoteStatus } from '../../storage/quotes.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { assertVisible, scopeOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import { IsoDateSchema, OkSchema, problems, QuoteSchema } from '../schemas.ts';

const tags = ['quotes'];

export function quoteRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/quotes',
    {
      config: { access: 'quotes.view' },
      schema: {
        tags,
        summary: 'Quotes (devis) by number',
        querystring: z.object({ status: QuoteStatusSchema.optional() }),
        response: { 200: z.object({ items: z.array(QuoteSchema) }), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      let items = await listQuotes(api.db, scope.companyId, { status: request.query.status });
      if (scope.salesRep !== null) {
        const visible = new Map<string, boolean>();
        const kept = [];
        for (const quote of items) {
          if (!visible.has(quote.customerId)) {
            visible.set(
              quote.customerId,
              (await getCustomer(api.db, scope.companyId, quote.customerId)).salesRep === scope.salesRep,
            );
          }
          if (visible.get(quote.customerId)) kept.push(quote);
        }
        items = kept;
      }
      return { items };
    },
  );

  api.post(
    '/api/v1/quotes',
    {
      config: { access: 'quotes.edit' },
      schema: {
        tags,
        summary: 'Record a quote',
        body: z.object({
          number: z.string().trim().min(1).max(50),
          customerId: z.string().max(100),
          date: IsoDateSchema,
          validUntil: IsoDateSchema,
          currency: z.string().length(3).default('EUR'),
          total: z.number().int().positive(),
          status: QuoteStatusSchema.default('pending'),
        }),
        response: { 201: QuoteSchema, ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const quote = await inTransaction(api.db, async (trx) => {
        assertVisible(
          scope,
          await getCustomer(trx, scope.companyId, request.body.customerId),
          `customer with id ${request.body.customerId}`,
        );
        const created = await createQuote(trx, scope.companyId, request.body);
        await audit(request, trx, 'quote.created', created.number);
        return created;
      });
      return reply.code(201).send(quote);
    },
  );

  api.put(
    '/api/v1/quotes/:number/status',
    {
      config: { access: 'quotes.edit' },
      schema: {
        tags,
        summary: 'Accept or refuse a quote',
        params: z.object({ number: z.string().min(1).max(50) }),
        body: z.object({ status: QuoteStatusSchema }),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      await inTransaction(api.db, async (trx) => {
        await setQuoteStatus(trx, scope.companyId, request.params.number, request.body.status);
        await audit(request, trx, 'quote.status', request.params.number, request.body);
      });
      return { ok: true as const };
    },
  );
}

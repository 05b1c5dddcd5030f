import { z } from 'zod';
import { QuoteStatusSchema } from '../../domain/ledger.ts';
import type { Policy } from '../../domain/dunning/policy.ts';
import { quotePolicy, setQuotePolicy } from '../../follow-ups/run-follow-ups.ts';
import { getCustomer } from '../../storage/customers.ts';
import { createQuote, listQuotes, setQuoteStatus } from '../../storage/quotes.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { assertVisible, scopeOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import { IsoDateSchema, OkSchema, problems, QuoteSchema } from '../schemas.ts';

const tags = ['quotes'];
const QuotePolicySchema = z.object({
  steps: z.array(
    z.object({
      label: z.string(),
      delayDays: z.number().int(),
      from: z.enum(['dueDate', 'previousStep', 'issueDate']),
    }),
  ),
});
const policyView = (policy: Policy) => ({
  steps: policy.steps.map((s) => ({ label: s.label, delayDays: s.delayDays, from: s.from })),
});

export function quoteRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/quotes',
    {
      config: { access: 'quotes.view' },
      schema: {
        tags,
        summary: 'Quotes (devis) by number',
        querystring: z.object({ status: QuoteStatusSchema.optional() }),
        response: {
          200: z.object({ items: z.array(QuoteSchema.extend({ customerCode: z.string(), customerName: z.string() })) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const items = await listQuotes(api.db, scope.companyId, {
        status: request.query.status,
        salesRep: scope.salesRep ?? undefined,
      });
      return { items };
    },
  );

  api.get(
    '/api/v1/quotes/policy',
    {
      config: { access: 'policies.view' },
      schema: {
        tags,
        summary: 'The quote follow-up policy (steps counted from the expiry date, the quote date or the previous one)',
        response: { 200: QuotePolicySchema, ...problems },
      },
    },
    async (request) => policyView(await quotePolicy(api.db, scopeOf(request).companyId)),
  );

  api.put(
    '/api/v1/quotes/policy',
    {
      config: { access: 'policies.edit' },
      schema: {
        tags,
        summary: 'Set the quote follow-up policy (e-mail steps); the policy format is checked as for reminders',
        body: z.object({ steps: z.array(z.unknown()).max(20) }),
        response: { 200: QuotePolicySchema, ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const policy = await inTransaction(api.db, async (trx) => {
        const saved = await setQuotePolicy(trx, scope.companyId, {
          name: 'devis',
          steps: request.body.steps,
          minBalance: '0.00',
          minDaysBetween: 0,
        });
        await audit(request, trx, 'quote-policy.set', null, { steps: saved.steps.length });
        return saved;
      });
      return policyView(policy);
    },
  );

  api.delete(
    '/api/v1/quotes/policy',
    {
      config: { access: 'policies.edit' },
      schema: {
        tags,
        summary: 'Back to the default quote policy (one e-mail 7 days before the quote expires)',
        response: { 200: QuotePolicySchema, ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const policy = await inTransaction(api.db, async (trx) => {
        const saved = await setQuotePolicy(trx, scope.companyId, null);
        await audit(request, trx, 'quote-policy.reset', null);
        return saved;
      });
      return policyView(policy);
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

import { z } from 'zod';
import { QuoteStatusSchema } from '../../domain/ledger.ts';
import type { Policy } from '../../domain/dunning/policy.ts';
import { createQuote } from '../../follow-ups/create-quote.ts';
import { resetQuotePolicy } from '../../follow-ups/reset-quote-policy.ts';
import { quotePolicy } from '../../follow-ups/quote-policy.ts';
import { saveQuotePolicy } from '../../follow-ups/save-quote-policy.ts';
import { setQuoteStatus } from '../../follow-ups/set-quote-status.ts';
import { listVisibleQuotes } from '../../follow-ups/list-quotes.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
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
      const items = await listVisibleQuotes(api.db, scope, { status: request.query.status });
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
    async (request) => policyView(await saveQuotePolicy(api.db, actorOf(request), request.body)),
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
    async (request) => policyView(await resetQuotePolicy(api.db, actorOf(request))),
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
    async (request, reply) => reply.code(201).send(await createQuote(api.db, actorOf(request), request.body)),
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
      await setQuoteStatus(api.db, actorOf(request), request.params.number, request.body);
      return { ok: true as const };
    },
  );
}

import { z } from 'zod';
import { issuePortalLink, revokePortalLinks } from '../../portal/portal-links.ts';
import { customerScheduleRequests, decideScheduleRequestAs } from '../../portal/schedule-requests.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, problems } from '../schemas.ts';

const tags = ['customers'];
const ScheduleRequestSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  instalments: z.array(z.object({ seq: z.number().int(), dueDate: z.string(), amount: z.number().int() })),
  message: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'refused']),
  answer: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

/** The customer page's payment-page link: a new one to hand over, or revoking them all. */
export function portalLinkRoutes(api: ZodApi): void {
  api.post(
    '/api/v1/customers/:id/portal-links',
    {
      config: { access: 'customers.hold' },
      schema: {
        tags,
        summary: "A new link to the customer's payment page (the address from RELANCE_PUBLIC_URL)",
        params: IdParamsSchema,
        response: { 201: z.object({ url: z.string(), expiresInDays: z.number().int() }), ...problems },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issuePortalLink(api.db, actorOf(request), { customerId: request.params.id })),
  );

  api.delete(
    '/api/v1/customers/:id/portal-links',
    {
      config: { access: 'customers.hold' },
      schema: {
        tags,
        summary: "Revoke every link to the customer's payment page",
        params: IdParamsSchema,
        response: { 200: z.object({ revoked: z.number().int() }), ...problems },
      },
    },
    async (request) => revokePortalLinks(api.db, actorOf(request), { customerId: request.params.id }),
  );

  api.get(
    '/api/v1/customers/:id/schedule-requests',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'Payment plans the customer asked for on their payment page, newest first',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(ScheduleRequestSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await customerScheduleRequests(api.db, actorOf(request), request.params.id) }),
  );

  api.post(
    '/api/v1/schedule-requests/:id/decision',
    {
      config: { access: 'invoices.follow-up' },
      schema: {
        tags,
        summary: "Accept a requested payment plan (it becomes the invoice's schedule) or refuse it with a message",
        params: IdParamsSchema,
        body: z.object({ accept: z.boolean(), message: z.string().trim().max(4000).nullable().default(null) }),
        response: { 200: ScheduleRequestSchema, ...problems },
      },
    },
    async (request) => decideScheduleRequestAs(api.db, actorOf(request), request.params.id, request.body),
  );
}

import { z } from 'zod';
import { issuePortalLink, revokePortalLinks } from '../../portal/portal-links.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, problems } from '../schemas.ts';

const tags = ['customers'];

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
}

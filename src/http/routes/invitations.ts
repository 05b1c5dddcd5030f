import { z } from 'zod';
import { acceptInvitation, declineInvitation, myInvitations } from '../../accounts/invitations.ts';
import { RoleSchema } from '../../accounts/roles.ts';
import { principalOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, OkSchema, problems } from '../schemas.ts';

const tags = ['users'];
const InvitationSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  legalName: z.string(),
  role: RoleSchema,
  salesRep: z.string().nullable(),
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** An existing account joins another company only through these: it sees who invited it, and accepts or declines. */
export function invitationRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/invitations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Invitations of the logged-in account to join other companies',
        response: { 200: z.object({ items: z.array(InvitationSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await myInvitations(api.db, principalOf(request)) }),
  );

  api.post(
    '/api/v1/invitations/:id/accept',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Join the inviting company with the invited role',
        params: IdParamsSchema,
        response: { 200: z.object({ companyId: z.string() }), ...problems },
      },
    },
    async (request) => acceptInvitation(api.db, principalOf(request), request.params.id),
  );

  api.delete(
    '/api/v1/invitations/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Decline an invitation',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await declineInvitation(api.db, principalOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}

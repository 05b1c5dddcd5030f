import { z } from 'zod';
import { addMember } from '../../accounts/add-member.ts';
import { listAuditLog } from '../../accounts/audit-log.ts';
import { changeMember } from '../../accounts/change-member.ts';
import { createApiToken } from '../../accounts/create-api-token.ts';
import { listCompanyApiTokens, listCompanyMembers } from '../../accounts/list-members.ts';
import { removeMember } from '../../accounts/remove-member.ts';
import { revokeApiToken } from '../../accounts/revoke-api-token.ts';
import { listCompanyWebhooks, listWebhookDeliveries, WEBHOOK_EVENTS } from '../../webhooks/list-webhooks.ts';
import { removeWebhook } from '../../webhooks/remove-webhook.ts';
import { subscribeWebhook } from '../../webhooks/subscribe-webhook.ts';
import { RoleSchema } from '../../accounts/roles.ts';
import { isId } from '../../shared/ids.ts';
import { actorOf, principalOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { AuditEntrySchema, DeliverySchema, MemberSchema, TokenSchema, WebhookSchema } from '../account-schemas.ts';
import { IdParamsSchema, OkSchema, page, problems } from '../schemas.ts';

export function adminRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/users',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'People of the company and their roles',
        response: { 200: z.object({ items: z.array(MemberSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listCompanyMembers(api.db, principalOf(request).companyId) }),
  );

  api.post(
    '/api/v1/users',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['users'],
        summary:
          'Add a person (a new account gets the given or a generated password, shown once; an existing ' +
          'account is invited and joins when it accepts)',
        body: z.object({
          email: z.email().max(320),
          role: RoleSchema,
          name: z.string().max(200).nullable().default(null),
          salesRep: z.string().max(100).nullable().default(null),
          password: z.string().max(256).optional(),
        }),
        response: {
          201: z.object({
            user: MemberSchema,
            created: z.boolean(),
            invited: z.boolean().describe('an existing account was invited: it joins only once it accepts'),
            generatedPassword: z.string().nullable(),
          }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const result = await addMember(
        api.db,
        actorOf(request),
        { ...request.body, invitedBy: principalOf(request).email },
        {
          sent: (outcome) => request.log.info({ outcome }, 'invitation e-mail'),
          failed: (error) => request.log.error({ err: error }, 'invitation e-mail failed'),
        },
      );
      // An invited account is not a member yet: its id is not shown to this company.
      return reply.code(201).send({
        user: {
          userId: result.invited ? '' : result.user.id,
          email: result.user.email,
          name: result.invited ? null : result.user.name,
          role: request.body.role,
          salesRep: request.body.salesRep,
        },
        created: result.created,
        invited: result.invited,
        generatedPassword: result.generatedPassword,
      });
    },
  );

  api.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: "Change a person's role or sales rep in this company",
        params: IdParamsSchema,
        body: z.object({ role: RoleSchema.optional(), salesRep: z.string().max(100).nullable().optional() }),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await changeMember(api.db, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  api.delete(
    '/api/v1/users/:id',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Remove a person from the company (ends their sessions and tokens here)',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await removeMember(api.db, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/tokens',
    {
      config: { access: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'API tokens of the company (never the token itself)',
        response: { 200: z.object({ items: z.array(TokenSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listCompanyApiTokens(api.db, principalOf(request).companyId) }),
  );

  api.post(
    '/api/v1/tokens',
    {
      config: { access: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token acting as a person of the company; the token is shown only in this answer',
        body: z.object({ name: z.string().trim().min(1).max(100), userId: z.string().max(100).optional() }),
        response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }), ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(api.db, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/tokens/:id',
    {
      config: { access: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token at once',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await revokeApiToken(api.db, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/audit',
    {
      config: { access: 'audit.view' },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what and when, newest first',
        querystring: z.object({
          action: z.string().max(100).optional(),
          cursor: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: page(AuditEntrySchema), ...problems },
      },
    },
    async (request) => {
      const { action, cursor, limit } = request.query;
      return listAuditLog(api.db, principalOf(request).companyId, {
        action,
        limit,
        before: cursor && isId(cursor) ? cursor : undefined,
      });
    },
  );

  api.get(
    '/api/v1/webhooks',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Outgoing webhooks',
        response: { 200: z.object({ items: z.array(WebhookSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listCompanyWebhooks(api.db, principalOf(request).companyId) }),
  );

  api.post(
    '/api/v1/webhooks',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary:
          'Subscribe a URL to events; deliveries are signed with HMAC-SHA256 of the secret (shown once), go to public ' +
          'addresses only (unless RELANCE_OUTBOUND_ALLOW lists the target) and never follow redirects',
        body: z.object({
          url: z.url({ protocol: /^https?$/ }).max(2000),
          events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
        }),
        response: { 201: WebhookSchema.extend({ secret: z.string() }), ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await subscribeWebhook(api.db, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/webhooks/:id',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook and its pending deliveries',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await removeWebhook(api.db, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Recent deliveries of a webhook with status, attempts and last error',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(DeliverySchema) }), ...problems },
      },
    },
    async (request) => ({
      items: await listWebhookDeliveries(api.db, principalOf(request).companyId, request.params.id),
    }),
  );
}

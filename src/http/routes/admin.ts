import { z } from 'zod';
import { addUser, issueApiToken } from '../../accounts/auth.ts';
import { RoleSchema } from '../../accounts/roles.ts';
import { randomSecret } from '../../accounts/secrets.ts';
import { isIP } from 'node:net';
import { AppError } from '../../shared/errors.ts';
import { resolveAllowed } from '../../shared/outbound.ts';
import { isId } from '../../shared/ids.ts';
import { mailInvitation } from '../../mail/invitation-mail.ts';
import { listAudit } from '../../storage/audit.ts';
import { getCompany } from '../../storage/companies.ts';
import { inTransaction } from '../../storage/transactions.ts';
import {
  countAdmins,
  getMembership,
  listApiTokens,
  listMembers,
  removeMembership,
  revokeApiToken,
  setMembership,
} from '../../storage/users.ts';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, WEBHOOK_EVENTS } from '../../storage/webhooks.ts';
import { principalOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import {
  AuditEntrySchema,
  DeliverySchema,
  IdParamsSchema,
  MemberSchema,
  OkSchema,
  page,
  problems,
  TokenSchema,
  WebhookSchema,
} from '../schemas.ts';

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
    async (request) => ({ items: await listMembers(api.db, principalOf(request).companyId) }),
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
      const p = principalOf(request);
      const result = await addUser(api.db, p.companyId, { ...request.body, invitedBy: p.email });
      await audit(request, api.db, result.invited ? 'user.invited' : 'user.added', result.user.email, {
        role: request.body.role,
        salesRep: request.body.salesRep,
      });
      if (result.invited) {
        const { legalName } = await getCompany(api.db, p.companyId);
        // The invitation stands whether its e-mail leaves or not: the person also finds it in the menu.
        void mailInvitation(api.db, p.companyId, {
          email: result.user.email,
          legalName,
          role: request.body.role,
          invitedBy: p.email,
        }).then(
          (outcome) => request.log.info({ outcome }, 'invitation e-mail'),
          (error: unknown) => request.log.error({ err: error }, 'invitation e-mail failed'),
        );
      }
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
      const companyId = principalOf(request).companyId;
      await inTransaction(api.db, async (trx) => {
        const current = await getMembership(trx, companyId, request.params.id);
        if (!current) throw new AppError('not_found', `No user with id ${request.params.id} in this company.`);
        const role = request.body.role ?? current.role;
        if (current.role === 'admin' && role !== 'admin' && (await countAdmins(trx, companyId)) <= 1) {
          throw new AppError('conflict', 'The company needs at least one admin.');
        }
        await setMembership(trx, companyId, current.userId, {
          role,
          salesRep: request.body.salesRep === undefined ? current.salesRep : request.body.salesRep,
        });
        await audit(request, trx, 'user.changed', current.userId, request.body);
      });
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
      const companyId = principalOf(request).companyId;
      await inTransaction(api.db, async (trx) => {
        const current = await getMembership(trx, companyId, request.params.id);
        if (current?.role === 'admin' && (await countAdmins(trx, companyId)) <= 1)
          throw new AppError('conflict', 'The company needs at least one admin.');
        await removeMembership(trx, companyId, request.params.id);
        await audit(request, trx, 'user.removed', request.params.id);
      });
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
    async (request) => ({ items: await listApiTokens(api.db, principalOf(request).companyId) }),
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
    async (request, reply) => {
      const p = principalOf(request);
      const issued = await issueApiToken(api.db, p.companyId, {
        userId: request.body.userId ?? p.userId,
        name: request.body.name,
      });
      await audit(request, api.db, 'token.created', issued.id, { name: request.body.name });
      return reply.code(201).send({ id: issued.id, name: request.body.name, token: issued.token });
    },
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
      await inTransaction(api.db, async (trx) => {
        await revokeApiToken(trx, principalOf(request).companyId, request.params.id);
        await audit(request, trx, 'token.revoked', request.params.id);
      });
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
      const rows = await listAudit(api.db, principalOf(request).companyId, {
        action,
        limit: limit + 1,
        before: cursor && isId(cursor) ? cursor : undefined,
      });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
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
    async (request) => ({ items: await listWebhooks(api.db, principalOf(request).companyId) }),
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
    async (request, reply) => {
      // A literal internal address is refused at once; a name is checked at each delivery, on the address it resolves to.
      const host = new URL(request.body.url).hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) || host === 'localhost') {
        await resolveAllowed(host).catch((error: Error) => {
          throw new AppError('invalid_input', `url: ${error.message}.`, [
            { field: 'body.url', reason: 'not a public address' },
          ]);
        });
      }
      const secret = randomSecret('whsec_');
      const hook = await inTransaction(api.db, async (trx) => {
        const created = await createWebhook(trx, principalOf(request).companyId, {
          url: request.body.url,
          secret,
          events: [...new Set(request.body.events)],
        });
        await audit(request, trx, 'webhook.created', created.id, { url: created.url, events: created.events });
        return created;
      });
      return reply.code(201).send({ ...hook, secret });
    },
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
      await inTransaction(api.db, async (trx) => {
        await deleteWebhook(trx, principalOf(request).companyId, request.params.id);
        await audit(request, trx, 'webhook.deleted', request.params.id);
      });
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
    async (request) => ({ items: await listDeliveries(api.db, principalOf(request).companyId, request.params.id) }),
  );
}

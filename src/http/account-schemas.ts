import { z } from 'zod';
import { RoleSchema } from '../accounts/roles.ts';

/** What the session and administration routes answer: members, the session, API tokens, the audit log, webhooks. */
export const MemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  salesRep: z.string().nullable(),
});
export const SessionInfoSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  company: z.object({ id: z.string(), legalName: z.string() }),
  role: RoleSchema,
  salesRep: z.string().nullable(),
  companies: z.array(z.object({ id: z.string(), legalName: z.string(), role: RoleSchema })),
  csrfToken: z.string().nullable(),
});
export const TokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
});
export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export const DeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

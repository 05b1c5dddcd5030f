import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import type { Actor } from '../customers/activities.ts';
import { principalOf, scopeOf } from './auth.ts';

/** The Fastify instance as routes see it: zod schemas give typed params, bodies and responses. */
export type Api = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;
export type ZodApi = ReturnType<typeof zodApi>;

export function zodApi(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** Records who did what; pass the transaction when the change has one, so both are committed together. */
export async function audit(
  request: FastifyRequest,
  db: Db,
  action: string,
  target: string | null,
  details?: unknown,
): Promise<void> {
  const p = principalOf(request);
  await recordAudit(db, p.companyId, {
    userId: p.userId,
    actor: p.via === 'token' ? `${p.email} (API token)` : p.email,
    action,
    target,
    details,
  });
}

/** Who is acting, as use cases take it: the company, the représentant a collector is restricted to, and a name to audit. */
export function actorOf(request: FastifyRequest): Actor {
  const p = principalOf(request);
  return { ...scopeOf(request), userId: p.userId, name: p.via === 'token' ? `${p.email} (API token)` : p.email };
}

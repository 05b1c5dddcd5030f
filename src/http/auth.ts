import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { resolveApiToken, resolveSession, type Principal } from '../accounts/auth.ts';
import { allows, authorize, type Access } from '../accounts/permissions.ts';
import { sameText } from '../accounts/secrets.ts';
import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Database } from '../storage/schema.ts';

export const SESSION_COOKIE = 'relance_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action of the permissions table the route does; every /api route must say it (checked when added). */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    db: Kysely<Database>;
    /** Every /api/v1 route with its access, for the authorization matrix test and the docs. */
    apiRoutes: { method: string; url: string; access: Access }[];
  }
}

/**
 * Who a token or session cookie is, remembered for a moment: a machine client's every request would
 * otherwise hash its token and read three tables (7 % of the invoice list's CPU). Every write through this
 * process forgets them all, so a revoked token, a removed member, a logout or a password reset here take
 * effect at once; a change made by another process (the CLI) takes at most PRINCIPAL_TTL_MS.
 */
const PRINCIPAL_TTL_MS = 2_000;
const REMEMBERED_AT_MOST = 10_000;

type Principals = Map<string, { principal: Principal; until: number }>;

async function remembered(
  principals: Principals,
  key: string,
  resolve: () => Promise<Principal | null>,
): Promise<Principal | null> {
  const now = Date.now();
  const known = principals.get(key);
  if (known && known.until > now) return known.principal;
  const principal = await resolve();
  if (principals.size >= REMEMBERED_AT_MOST) principals.clear();
  if (principal) principals.set(key, { principal, until: now + PRINCIPAL_TTL_MS });
  else principals.delete(key);
  return principal;
}

async function identify(
  db: Kysely<Database>,
  principals: Principals,
  request: FastifyRequest,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match
      ? await remembered(principals, `token ${match[1]!}`, () => resolveApiToken(db, match[1]!))
      : null;
    if (!principal)
      throw new AppError('unauthenticated', 'The API token is invalid or revoked.', [], {
        key: 'problem.auth.tokenInvalid',
      });
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  return remembered(principals, `session ${cookie}`, () => resolveSession(db, cookie));
}

/**
 * Runs before body parsing and validation, so an anonymous or under-privileged caller learns nothing
 * about the route's input: 401 without a valid session or token, 403 for a missing CSRF token on a
 * cookie-authenticated write or a role below the route's access.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorate('apiRoutes', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (access === undefined) throw new Error(`route ${route.method} ${route.url} declares no access`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, access });
  });
  const principals: Principals = new Map();
  app.addHook('onResponse', async (request) => {
    if (!SAFE_METHODS.has(request.method)) principals.clear();
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    const principal = await identify(app.db, principals, request);
    if (!principal) {
      if (request.cookies[SESSION_COOKIE]) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw new AppError('unauthenticated', 'Log in, or send an API token as "Authorization: Bearer …".', [], {
        key: 'problem.auth.required',
      });
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameText(sent, principal.csrfToken ?? '')) {
        throw new AppError(
          'forbidden',
          `A write with the session cookie needs the ${CSRF_HEADER} header from /api/v1/session.`,
          [],
          { key: 'problem.auth.csrf', params: { header: CSRF_HEADER } },
        );
      }
    }
    authorize(principal, access);
    request.principal = principal;
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('unauthenticated', 'Not logged in.', [], { key: 'problem.auth.notLoggedIn' });
  return request.principal;
}

/** What a caller's queries are limited to: its company, and its sales rep's customers unless admin. */
export type Scope = { companyId: string; salesRep: string | null };

export function scopeOf(request: FastifyRequest): Scope {
  const p = principalOf(request);
  return { companyId: p.companyId, salesRep: allows(p, 'customers.view-all-reps') ? null : p.salesRep };
}

/** The caller as use cases see it: its scope, its user and the name the audit log gives it. */
export function actorOf(request: FastifyRequest): Actor {
  const p = principalOf(request);
  return { ...scopeOf(request), userId: p.userId, name: p.via === 'token' ? `${p.email} (API token)` : p.email };
}

/** A restricted collector sees another représentant's customer as if it did not exist. */
export function assertVisible(scope: Scope, customer: { salesRep: string | null }, what: string): void {
  if (scope.salesRep !== null && customer.salesRep !== scope.salesRep)
    throw new AppError('not_found', `No ${what}.`, [], { key: 'problem.notFound.hidden' });
}

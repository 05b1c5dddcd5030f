import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  changePassword,
  login,
  logout,
  requestPasswordReset,
  resetPassword,
  switchCompany,
} from '../../accounts/auth.ts';
import { accountLimitKey, type LoginLimiter } from '../../accounts/login-limiter.ts';
import { getSessionInfo } from '../../accounts/session-info.ts';
import { mailPasswordReset } from '../../mail/password-reset.ts';
import { AppError } from '../../shared/errors.ts';
import { principalOf, SESSION_COOKIE } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { SessionInfoSchema } from '../account-schemas.ts';
import { OkSchema, problems } from '../schemas.ts';

const tags = ['session'];

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string): void {
  // Secure whenever the client reached us over TLS (directly, or through a proxy trusted with trustProxy).
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function sessionRoutes(api: ZodApi, limiter: LoginLimiter): void {
  api.post(
    '/api/v1/session',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Log in with e-mail and password (sets the session cookie)',
        body: z.object({
          email: z.string().min(1).max(320),
          password: z.string().min(1).max(1024),
          companyId: z.string().optional(),
        }),
        response: { 200: SessionInfoSchema, ...problems },
      },
    },
    async (request, reply) => {
      // Counted per client address and per account: rotating addresses (or forged X-Forwarded-For, which only
      // counts through the configured trusted hops) does not give one account more guesses, nor one address more accounts.
      const byAddress = limiter.hit(`ip:${request.ip}`);
      const byAccount = limiter.hit(accountLimitKey(request.body.email));
      if (!byAddress || !byAccount)
        throw new AppError('rate_limited', 'Too many login attempts; wait a few minutes.', [], {
          key: 'problem.auth.tooManyLogins',
        });
      const result = await login(api.db, request.body, { ip: request.ip });
      setSessionCookie(request, reply, result.sessionToken, result.expiresAt);
      return getSessionInfo(api.db, result.principal);
    },
  );

  api.get(
    '/api/v1/session',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Who is logged in, the current company, the CSRF token for writes',
        response: { 200: SessionInfoSchema, ...problems },
      },
    },
    async (request) => getSessionInfo(api.db, principalOf(request)),
  );

  api.delete(
    '/api/v1/session',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'Log out', response: { 200: OkSchema, ...problems } },
    },
    async (request, reply) => {
      await logout(api.db, principalOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  api.put(
    '/api/v1/session/company',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Switch to another company of the user',
        body: z.object({ companyId: z.string().min(1) }),
        response: { 200: SessionInfoSchema, ...problems },
      },
    },
    async (request) =>
      getSessionInfo(api.db, await switchCompany(api.db, principalOf(request), request.body.companyId)),
  );

  api.put(
    '/api/v1/session/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Change the password (ends every other session and API token of the account)',
        body: z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (!limiter.hit(accountLimitKey(p.email)))
        throw new AppError('rate_limited', 'Too many attempts; wait a few minutes.', [], {
          key: 'problem.auth.tooManyAttempts',
        });
      await changePassword(api.db, p, request.body.currentPassword, request.body.newPassword);
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/password-reset',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Ask for a password reset link (same answer whether or not the e-mail exists)',
        body: z.object({ email: z.string().min(1).max(320) }),
        response: { 202: OkSchema, ...problems },
      },
    },
    async (request, reply) => {
      if (!limiter.hit(`reset:${request.ip}`))
        throw new AppError('rate_limited', 'Too many requests from this address; wait a few minutes.', [], {
          key: 'problem.auth.tooManyRequests',
        });
      const reset = await requestPasswordReset(api.db, request.body.email);
      if (reset) {
        // Sent after the answer, so the time taken does not tell whether the account exists. Without an
        // SMTP server the token goes to the server log, where the operator can pass it on.
        const email = request.body.email;
        const toLog = () =>
          request.log.warn({ userId: reset.userId }, `password reset requested for ${email}: token ${reset.token}`);
        setImmediate(() => {
          mailPasswordReset(api.db, { ...reset, email }).then(
            (outcome) => {
              if (outcome === 'no_smtp') toLog();
              else request.log.info({ userId: reset.userId }, 'password reset e-mailed');
            },
            (error: Error) => {
              request.log.error({ userId: reset.userId, err: error }, 'password reset e-mail failed');
              toLog();
            },
          );
        });
      }
      return reply.code(202).send({ ok: true as const });
    },
  );

  api.post(
    '/api/v1/password-reset/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Set a new password with a reset token (ends every session and API token of the account)',
        body: z.object({ token: z.string().min(1).max(200), password: z.string().max(1024) }),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await resetPassword(api.db, request.body.token, request.body.password);
      return { ok: true as const };
    },
  );
}

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The second line of defence behind React's escaping: the app's page runs only its own bundled scripts
 * (no inline script, no eval, no javascript: URL), talks only to its own server and cannot be framed.
 * Styles may be inline: Mantine sets CSS variables in <style> elements and style attributes. E-mail previews
 * are srcdoc frames sandboxed without scripts, which this policy also covers.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The hook for the web app: when `root` holds a built single-page app (index.html and its
 * assets), it is served under / and any non-API path falls back to index.html for client-side routing.
 * API and docs routes are registered first and keep precedence.
 */
export async function registerWebApp(app: FastifyInstance, root: string | undefined): Promise<void> {
  if (!root || !existsSync(join(root, 'index.html'))) return;
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, {
    root: resolve(root),
    prefix: '/',
    wildcard: false,
    setHeaders: (res, path) => {
      if (path.endsWith('.html')) res.setHeader('content-security-policy', WEB_APP_CSP);
    },
  });
  app.get('/*', { config: { access: 'public' } }, (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('content-security-policy', WEB_APP_CSP).sendFile('index.html');
  });
}

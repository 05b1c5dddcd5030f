import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The hook for the web app (issue 7): when `root` holds a built single-page app (index.html and its
 * assets), it is served under / and any non-API path falls back to index.html for client-side routing.
 * API and docs routes are registered first and keep precedence.
 */
export async function registerWebApp(app: FastifyInstance, root: string | undefined): Promise<void> {
  if (!root || !existsSync(join(root, 'index.html'))) return;
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, { root: resolve(root), prefix: '/', wildcard: false });
  app.get('/*', { config: { access: 'public' } }, (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}

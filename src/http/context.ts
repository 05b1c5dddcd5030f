import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/** The Fastify instance as routes see it: zod schemas give typed params, bodies and responses. */
export type Api = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;
export type ZodApi = ReturnType<typeof zodApi>;

export function zodApi(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

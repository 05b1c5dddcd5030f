import { z } from 'zod';
import { mailSimulation } from '../../mail/mail-simulation.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, problems } from '../schemas.ts';
import { DispatchReportSchema, OutboxMessageSchema, reportOut, toMessageOut } from '../outbox-schemas.ts';

/** The simulation e-mail of the automation screen: what `relance simulate` sends, per customer and level. */
export function simulationRoutes(api: ZodApi): void {
  api.post(
    '/api/v1/simulation/send',
    {
      // The whole company's plan: not for a collector limited to one représentant.
      config: { access: 'simulation.send' },
      schema: {
        tags: ['dunning'],
        summary:
          'Mail the simulation (per customer and level, which invoices will be reminded) to an address, ' +
          "in French or English with that language's formats, then dispatch the outbox",
        body: z.object({
          to: z.string().min(3).max(320),
          date: IsoDateSchema.optional(),
          language: z.enum(['fr', 'en']).optional(),
        }),
        response: { 202: z.object({ message: OutboxMessageSchema, dispatch: DispatchReportSchema }), ...problems },
      },
    },
    async (request, reply) => {
      const { message, dispatch } = await mailSimulation(api.db, actorOf(request), request.body, {
        dataDir: api.dataDir,
        onError: (error) => request.log.error({ err: error }, 'dispatch failed'),
      });
      return reply.code(202).send({ message: toMessageOut(message), dispatch: reportOut(dispatch) });
    },
  );
}

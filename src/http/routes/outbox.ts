import { z } from 'zod';
import { dispatchAfterQueueing } from '../../mail/dispatch-after.ts';
import { listOutboxMessages } from '../../mail/list-outbox.ts';
import { retryMessage } from '../../mail/retry-message.ts';
import { visibleMessage } from '../../mail/visible-message.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { encodeCursor, decodeCursor } from '../cursor.ts';
import {
  DispatchReportSchema,
  OutboxDetailSchema,
  OutboxMessageSchema,
  OutboxStatusSchema,
  reportOut,
  toMessageOut,
} from '../outbox-schemas.ts';
import { IdParamsSchema, problems } from '../schemas.ts';

const tags = ['outbox'];

export function outboxRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/outbox',
    {
      config: { access: 'outbox.view' },
      schema: {
        tags,
        summary: 'The e-mails queued, sent, failed or bounced, newest first (keyset pages), with the count per status',
        querystring: z.object({
          status: OutboxStatusSchema.optional(),
          cursor: z.string().max(300).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(OutboxMessageSchema),
            nextCursor: z.string().nullable(),
            counts: z
              .record(OutboxStatusSchema, z.number().int())
              .nullable()
              .describe('per status; null for a collector restricted to a sales rep'),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const { status, cursor, limit } = request.query;
      const at = cursor ? decodeCursor(cursor) : undefined;
      const page = await listOutboxMessages(api.db, scopeOf(request), {
        status,
        limit,
        before: at ? { createdAt: at.d ?? '', id: at.n } : undefined,
      });
      const last = page.items[page.items.length - 1];
      return {
        items: page.items.map(toMessageOut),
        counts: page.counts,
        nextCursor: page.more && last ? encodeCursor({ n: last.id, d: last.createdAt }) : null,
      };
    },
  );

  api.get(
    '/api/v1/outbox/:id',
    {
      config: { access: 'outbox.view' },
      schema: {
        tags,
        summary: 'One message with its bodies',
        params: IdParamsSchema,
        response: { 200: OutboxDetailSchema, ...problems },
      },
    },
    async (request) => {
      const message = await visibleMessage(api.db, scopeOf(request), request.params.id);
      return { ...toMessageOut(message), text: message.text, html: message.html };
    },
  );

  api.post(
    '/api/v1/outbox/:id/retry',
    {
      config: { access: 'outbox.send' },
      schema: {
        tags,
        summary: 'Put a failed message back in the queue (after checking it did not arrive) and dispatch the outbox',
        params: IdParamsSchema,
        response: { 200: z.object({ message: OutboxMessageSchema, dispatch: DispatchReportSchema }), ...problems },
      },
    },
    async (request) => {
      const { message, dispatch } = await retryMessage(api.db, actorOf(request), request.params.id, {
        dataDir: api.dataDir,
        onError: (error) => request.log.error({ err: error }, 'dispatch failed'),
      });
      return { message: toMessageOut(message), dispatch: reportOut(dispatch) };
    },
  );

  api.post(
    '/api/v1/outbox/dispatch',
    {
      config: { access: 'outbox.send' },
      schema: {
        tags,
        summary: 'Send what is due in the outbox now (what `relance dispatch` does)',
        response: { 200: DispatchReportSchema, ...problems },
      },
    },
    async (request) => {
      // Delivering what others already decided to send reveals nothing, so a restricted collector may do it too.
      return reportOut(
        await dispatchAfterQueueing(api.db, scopeOf(request).companyId, {
          dataDir: api.dataDir,
          onError: (error) => request.log.error({ err: error }, 'dispatch failed'),
        }),
      );
    },
  );
}

import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { dispatchAfterQueueing } from '../../mail/dispatch-after.ts';
import type { DispatchReport } from '../../mail/dispatch.ts';
import { retryMessage } from '../../mail/retry-message.ts';
import { visibleMessage } from '../../mail/visible-message.ts';
import { countOutbox, listOutboxPage, type OutboxMessage } from '../../storage/outbox.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { encodeCursor, decodeCursor } from '../cursor.ts';
import { IdParamsSchema, problems } from '../schemas.ts';

const tags = ['outbox'];
const STATUSES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'] as const;

/** A message as listed: recipients, subject, state; bodies only in the detail. Attachments by file name. */
export const OutboxMessageSchema = z.object({
  id: z.string(),
  kind: z.enum(['reminder', 'manual', 'test', 'simulation']),
  status: z.enum(STATUSES),
  messageId: z.string(),
  communicationId: z.string().nullable(),
  customerId: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  replyTo: z.string().nullable(),
  subject: z.string(),
  attachments: z.array(z.string()),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable().describe('why it is not sent, as written for logs'),
  error: z
    .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .nullable()
    .describe('why it is not sent, as a catalogue code (outbox.errors.*) and its params, to say in any language'),
  smtpResponse: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
const OutboxDetailSchema = OutboxMessageSchema.extend({ text: z.string(), html: z.string().nullable() });

export const DispatchReportSchema = z.object({
  sent: z.number().int(),
  retried: z.number().int(),
  failed: z.number().int(),
  interrupted: z.number().int(),
  notSent: z
    .number()
    .int()
    .describe('queued messages not sent because no SMTP server is configured (written as .eml files)'),
  stopped: z.string().nullable(),
  cancelled: z
    .number()
    .int()
    .default(0)
    .describe('reminders cancelled at send time: an invoice was paid, disputed, held or changed since it was queued'),
});

export function toMessageOut(m: OutboxMessage): z.infer<typeof OutboxMessageSchema> {
  return {
    ...m,
    attachments: m.attachments.map((a) => String((a as { filename?: unknown }).filename ?? 'attachment')),
  };
}

export function reportOut(report: DispatchReport): z.infer<typeof DispatchReportSchema> {
  const { sent, retried, failed, interrupted, notSent, stopped, cancelled } = report;
  return { sent, retried, failed, interrupted, notSent, stopped, cancelled };
}

/** The dispatch after a request queued messages, as the answer carries it. */
export async function dispatchAfter(
  api: ZodApi,
  companyId: string,
  log: FastifyBaseLogger,
): Promise<z.infer<typeof DispatchReportSchema>> {
  return reportOut(
    await dispatchAfterQueueing(api.db, companyId, {
      dataDir: api.dataDir,
      onError: (error) => log.error({ err: error }, 'dispatch failed'),
    }),
  );
}

export function outboxRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/outbox',
    {
      config: { access: 'outbox.view' },
      schema: {
        tags,
        summary: 'The e-mails queued, sent, failed or bounced, newest first (keyset pages), with the count per status',
        querystring: z.object({
          status: z.enum(STATUSES).optional(),
          cursor: z.string().max(300).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(OutboxMessageSchema),
            nextCursor: z.string().nullable(),
            counts: z
              .record(z.enum(STATUSES), z.number().int())
              .nullable()
              .describe('per status; null for a collector restricted to a sales rep'),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const { status, cursor, limit } = request.query;
      const at = cursor ? decodeCursor(cursor) : undefined;
      const rows = await listOutboxPage(api.db, scope.companyId, {
        status,
        limit: limit + 1,
        customerSalesRep: scope.salesRep ?? undefined,
        before: at ? { createdAt: at.d ?? '', id: at.n } : undefined,
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      // Counts of the whole company's outbox would tell a restricted collector about others' customers.
      const counts = scope.salesRep === null ? await countOutbox(api.db, scope.companyId) : null;
      return {
        items: items.map(toMessageOut),
        counts,
        nextCursor: rows.length > limit && last ? encodeCursor({ n: last.id, d: last.createdAt }) : null,
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
      return dispatchAfter(api, scopeOf(request).companyId, request.log);
    },
  );
}

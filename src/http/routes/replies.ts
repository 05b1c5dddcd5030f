import { z } from 'zod';
import { AUTO_REPLY_REASONS } from '../../domain/auto-reply.ts';
import { customerReplies, replyAttachment, unreadReplies } from '../../replies/list-replies.ts';
import { markReplyRead } from '../../replies/mark-reply-read.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, IsoDateSchema, problems } from '../schemas.ts';
import { sendReceivedFile } from '../received-file.ts';

const tags = ['replies'];

export const CustomerReplySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  customerCode: z.string(),
  customerName: z.string(),
  inReplyTo: z.string().nullable(),
  subject: z.string(),
  from: z.string(),
  /** Plain text only: an HTML answer is kept as its text, never rendered. */
  text: z.string(),
  autoReply: z.boolean(),
  autoReason: z.enum(AUTO_REPLY_REASONS).nullable(),
  size: z.number().int(),
  receivedAt: z.string(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
  attachments: z.array(
    z.object({ position: z.number().int(), filename: z.string(), contentType: z.string(), size: z.number().int() }),
  ),
});

export function replyRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/customers/:id/replies',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: "The customer's answers to reminders, newest first (automatic answers marked)",
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(CustomerReplySchema) }), ...problems },
      },
    },
    async (request) => ({ items: await customerReplies(api.db, actorOf(request), request.params.id) }),
  );

  api.get(
    '/api/v1/replies/unread',
    {
      config: { access: 'dashboard.view' },
      schema: {
        tags,
        summary: 'The answers nobody has read yet: how many, and the latest',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
        response: { 200: z.object({ count: z.number().int(), items: z.array(CustomerReplySchema) }), ...problems },
      },
    },
    async (request) => {
      const { count, replies } = await unreadReplies(api.db, actorOf(request), request.query.limit);
      return { count, items: replies };
    },
  );

  api.post(
    '/api/v1/replies/:id/read',
    {
      config: { access: 'replies.mark-read' },
      schema: {
        tags,
        summary: "Marks an answer read (or unread again); the customer's reminders resume once none is unread",
        params: IdParamsSchema,
        body: z.object({ read: z.boolean().default(true) }).default({ read: true }),
        response: {
          200: z.object({ id: z.string(), readAt: z.string().nullable(), unreadSince: IsoDateSchema.nullable() }),
          ...problems,
        },
      },
    },
    async (request) => markReplyRead(api.db, actorOf(request), { replyId: request.params.id, read: request.body.read }),
  );

  api.get(
    '/api/v1/replies/:id/attachments/:position',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'One attachment of an answer, as received',
        params: IdParamsSchema.extend({ position: z.coerce.number().int().min(0).max(1000) }),
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const file = await replyAttachment(api.db, actorOf(request), {
        replyId: request.params.id,
        position: request.params.position,
      });
      return sendReceivedFile(reply, file);
    },
  );
}

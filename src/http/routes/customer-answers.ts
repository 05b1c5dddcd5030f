import { z } from 'zod';
import { collectorInbox } from '../../portal/collector-inbox.ts';
import { customerPortalFiles, portalFile } from '../../portal/customer-files.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, IsoDateSchema, problems } from '../schemas.ts';
import { sendReceivedFile } from '../received-file.ts';

const Who = { customerId: z.string(), customerCode: z.string(), customerName: z.string(), at: z.string() };
const section = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), items: z.array(item) });
const InstalmentSchema = z.object({ seq: z.number().int(), dueDate: z.string(), amount: z.number().int() });

const CustomerAnswersSchema = z.object({
  tasks: section(
    z.object({ id: z.string(), ...Who, text: z.string(), dueOn: IsoDateSchema.nullable(), invoiceNumber: z.string() }),
  ).describe("disputes from the payment page: each one's open task, on an invoice still disputed"),
  schedules: section(
    z.object({
      id: z.string(),
      ...Who,
      invoiceNumber: z.string(),
      currency: z.string(),
      instalments: z.array(InstalmentSchema),
      message: z.string().nullable(),
    }),
  ).describe('payment plans asked for, to accept or refuse'),
  payments: section(
    z.object({
      id: z.string(),
      ...Who,
      invoiceNumbers: z.array(z.string()),
      paidOn: IsoDateSchema,
      amount: z.number().int(),
      currency: z.string(),
      means: z.string(),
    }),
  ).describe('payments announced on the payment page that no payment has confirmed yet'),
  promises: section(
    z.object({
      id: z.string(),
      ...Who,
      invoiceNumber: z.string(),
      date: IsoDateSchema,
      balance: z.number().int(),
      currency: z.string(),
    }),
  ).describe('open invoices the customer promised on the payment page for today or later, nearest first'),
  replies: section(z.object({ id: z.string(), ...Who, subject: z.string() })).describe('answers nobody has read'),
});

const PortalFileSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});

/** The collector's view of what customers answered: the dashboard card and the files attached to disputes. */
export function customerAnswerRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/customer-answers',
    {
      config: { access: 'dashboard.view' },
      schema: {
        tags: ['replies'],
        summary:
          'What customers answered that waits for a collector: disputes, payment plans, payments, promises, replies',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
        response: { 200: CustomerAnswersSchema, ...problems },
      },
    },
    async (request) => collectorInbox(api.db, actorOf(request), request.query.limit),
  );

  api.get(
    '/api/v1/customers/:id/portal-files',
    {
      config: { access: 'customers.view' },
      schema: {
        tags: ['customers'],
        summary: 'Files the customer attached to disputes on their payment page, newest first',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(PortalFileSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await customerPortalFiles(api.db, actorOf(request), request.params.id) }),
  );

  api.get(
    '/api/v1/portal-files/:id',
    {
      config: { access: 'customers.view' },
      schema: {
        tags: ['customers'],
        summary: 'One file a customer attached on their payment page, as received',
        params: IdParamsSchema,
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const file = await portalFile(api.db, actorOf(request), request.params.id);
      return sendReceivedFile(reply, file);
    },
  );
}

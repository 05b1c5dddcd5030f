import { z } from 'zod';
import { ContactSchema } from '../../domain/ledger.ts';
import {
  addCustomerActivity,
  assignees,
  customerActivities,
  myOpenTasks,
  setTaskDone,
} from '../../customers/activities.ts';
import { changeContact, deleteContact } from '../../customers/contacts.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { EmailAddressSchema, IdParamsSchema, IsoDateSchema, OkSchema, problems } from '../schemas.ts';

const tags = ['customers'];
const ActivitySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(['note', 'call', 'task']),
  body: z.string(),
  dueOn: IsoDateSchema.nullable(),
  assignedTo: z.string().nullable(),
  assignedEmail: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdByEmail: z.string().nullable(),
  createdAt: z.string(),
});
const TaskSchema = ActivitySchema.extend({ customerCode: z.string(), customerName: z.string() });
const ContactParamsSchema = z.object({ id: z.string().max(100), contactId: z.string().max(100) });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

/** The customer page's contacts, notes, call log and tasks, and the dashboard's own tasks. */
export function customerWorkspaceRoutes(api: ZodApi): void {
  api.patch(
    '/api/v1/customers/:id/contacts/:contactId',
    {
      config: { access: 'customers.edit' },
      schema: {
        tags,
        summary: 'Change a contact (a new e-mail address clears its bounce)',
        params: ContactParamsSchema,
        body: z.object({
          name: optionalText(200),
          email: EmailAddressSchema.nullable().optional(),
          phone: optionalText(50),
          role: optionalText(50),
          isPrimary: z.boolean().optional(),
        }),
        response: { 200: ContactSchema, ...problems },
      },
    },
    async (request) =>
      changeContact(api.db, actorOf(request), request.params.id, request.params.contactId, request.body),
  );

  api.delete(
    '/api/v1/customers/:id/contacts/:contactId',
    {
      config: { access: 'customers.edit' },
      schema: {
        tags,
        summary: 'Remove a contact',
        params: ContactParamsSchema,
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await deleteContact(api.db, actorOf(request), request.params.id, request.params.contactId);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/customers/:id/activities',
    {
      config: { access: 'customers.view' },
      schema: {
        tags,
        summary: 'Notes, calls and tasks of a customer, newest first',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(ActivitySchema) }), ...problems },
      },
    },
    async (request) => ({ items: await customerActivities(api.db, actorOf(request), request.params.id) }),
  );

  api.post(
    '/api/v1/customers/:id/activities',
    {
      config: { access: 'activities.record' },
      schema: {
        tags,
        summary: 'Add a note, a call to the log, or a task (dueOn, assignedTo: the author by default)',
        params: IdParamsSchema,
        body: z.object({
          kind: z.enum(['note', 'call', 'task']),
          body: z.string().trim().min(1).max(4000),
          dueOn: IsoDateSchema.nullable().default(null),
          assignedTo: z.string().max(100).nullable().default(null),
        }),
        response: { 201: ActivitySchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addCustomerActivity(api.db, actorOf(request), request.params.id, request.body)),
  );

  api.put(
    '/api/v1/tasks/:id/done',
    {
      config: { access: 'tasks.complete' },
      schema: {
        tags,
        summary: 'Mark a task done (or to do again)',
        params: IdParamsSchema,
        body: z.object({ done: z.boolean() }),
        response: { 200: ActivitySchema, ...problems },
      },
    },
    async (request) => setTaskDone(api.db, actorOf(request), request.params.id, request.body.done),
  );

  api.get(
    '/api/v1/tasks/mine',
    {
      config: { access: 'tasks.view' },
      schema: {
        tags,
        summary: 'The tasks assigned to the caller still to do, soonest first',
        response: { 200: z.object({ items: z.array(TaskSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await myOpenTasks(api.db, actorOf(request)) }),
  );

  api.get(
    '/api/v1/assignees',
    {
      config: { access: 'tasks.view' },
      schema: {
        tags,
        summary: 'The people a task can be assigned to',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), email: z.string(), name: z.string().nullable() })),
          }),
          ...problems,
        },
      },
    },
    async (request) => ({ items: await assignees(api.db, scopeOf(request).companyId) }),
  );
}

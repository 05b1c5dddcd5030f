import { z } from 'zod';
import { planJson } from '../../dunning/plan-json.ts';
import { runRemindersAndDispatch } from '../../dunning/run-reminders.ts';
import { savePolicy } from '../../dunning/save-policy.ts';
import { listSentReminders, planFor } from '../../dunning/visible-dunning.ts';
import { listCompanyPolicies, listCompanyRuns, viewPolicy } from '../../dunning/view-policies.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { DispatchReportSchema, reportOut } from '../outbox-schemas.ts';
import { PlanSchema, PolicySchemaOut, RunSchema } from '../dunning-schemas.ts';
import { IsoDateSchema, problems, ReminderItemSchema } from '../schemas.ts';

export function dunningRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/policies',
    {
      config: { access: 'policies.view' },
      schema: {
        tags: ['policies'],
        summary: "The company's dunning policies",
        response: { 200: z.object({ items: z.array(PolicySchemaOut) }), ...problems },
      },
    },
    async (request) => ({ items: await listCompanyPolicies(api.db, scopeOf(request).companyId) }),
  );

  api.get(
    '/api/v1/policies/:name',
    {
      config: { access: 'policies.view' },
      schema: {
        tags: ['policies'],
        summary: 'One policy ("default" without a stored one gives the built-in default)',
        params: z.object({ name: z.string().min(1).max(100) }),
        response: { 200: PolicySchemaOut, ...problems },
      },
    },
    async (request) => viewPolicy(api.db, scopeOf(request).companyId, request.params.name),
  );

  api.put(
    '/api/v1/policies/:name',
    {
      config: { access: 'policies.edit' },
      schema: {
        tags: ['policies'],
        summary: 'Save a policy (steps, delays, channels, minimum); errors name each JSON path',
        params: z.object({ name: z.string().min(1).max(100) }),
        querystring: z.object({ makeDefault: z.enum(['true', 'false']).optional() }),
        body: z.record(z.string(), z.unknown()),
        response: { 200: PolicySchemaOut, ...problems },
      },
    },
    async (request) => {
      const { policy: _policy, ...saved } = await savePolicy(api.db, actorOf(request), {
        definition: { ...request.body, name: request.params.name },
        makeDefault: request.query.makeDefault === 'true',
      });
      return saved;
    },
  );

  api.get(
    '/api/v1/plan',
    {
      config: { access: 'dunning.view' },
      schema: {
        tags: ['dunning'],
        summary: 'The simulation: what a run on a date would do, changing nothing',
        querystring: z.object({ date: IsoDateSchema.optional(), customer: z.string().max(50).optional() }),
        response: { 200: PlanSchema, ...problems },
      },
    },
    async (request) =>
      planJson(
        await planFor(api.db, scopeOf(request), { date: request.query.date, customerCode: request.query.customer }),
      ),
  );

  api.get(
    '/api/v1/runs',
    {
      config: { access: 'dunning.view' },
      schema: {
        tags: ['dunning'],
        summary: 'Recent runs, newest first',
        response: { 200: z.object({ items: z.array(RunSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listCompanyRuns(api.db, scopeOf(request).companyId) }),
  );

  api.post(
    '/api/v1/runs',
    {
      config: { access: 'runs.start' },
      schema: {
        tags: ['dunning'],
        summary: 'Record the reminders of the plan (each invoice and level once); dryRun only shows them',
        body: z.object({
          date: IsoDateSchema.optional(),
          customer: z.string().max(50).optional(),
          invoices: z.array(z.string().max(50)).max(1000).optional(),
          dryRun: z.boolean().default(false),
          emailsAs: z
            .enum(['email', 'letter'])
            .default('email')
            .describe(
              'letter: every reminder goes by post (without an SMTP server a run with e-mails is refused, 409)',
            ),
        }),
        response: {
          200: z.object({
            run: RunSchema.nullable(),
            dryRun: z.boolean(),
            communications: z.number().int(),
            reminders: z.number().int(),
            raced: z.number().int(),
            stale: z.number().int(),
            skipped: z.string().nullable().describe('why nothing was done, in English, for logs'),
            skippedReason: z
              .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
              .nullable()
              .describe('why nothing was done, as a catalogue code (plan.skipped.*) and its params'),
            plan: PlanSchema,
            dispatch: DispatchReportSchema.nullable().describe('the e-mails the run queued, sent at once'),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const { customer, invoices, dryRun } = request.body;
      const result = await runRemindersAndDispatch(
        api.db,
        actorOf(request),
        {
          date: request.body.date,
          customerCode: customer,
          invoiceNumbers: invoices,
          dryRun,
          dataDir: api.dataDir,
          lettersOnly: request.body.emailsAs === 'letter',
          refuseWithoutSmtp: true,
        },
        { onError: (error) => request.log.error({ err: error }, 'dispatch failed') },
      );
      return {
        run: result.run,
        dryRun,
        communications: result.communications,
        reminders: result.reminders,
        raced: result.raced,
        stale: result.stale,
        skipped: result.skipped ?? null,
        skippedReason: result.skippedReason ?? null,
        plan: planJson(result.plan),
        dispatch: result.dispatch && reportOut(result.dispatch),
      };
    },
  );

  api.get(
    '/api/v1/reminders',
    {
      config: { access: 'dunning.view' },
      schema: {
        tags: ['dunning'],
        summary: '"Relances envoyées": every reminder by invoice and level',
        querystring: z.object({ invoice: z.string().max(50).optional(), customer: z.string().max(50).optional() }),
        response: { 200: z.object({ items: z.array(ReminderItemSchema) }), ...problems },
      },
    },
    async (request) => ({
      items: await listSentReminders(api.db, scopeOf(request), {
        invoiceNumber: request.query.invoice,
        customerCode: request.query.customer,
      }),
    }),
  );
}

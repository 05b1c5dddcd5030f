import { z } from 'zod';
import { BUCKETS, dashboard, PLAN_LIMIT } from '../../reports/dashboard.ts';
import { actorOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { OutboxErrorSchema } from '../outbox-schemas.ts';
import { IsoDateSchema, problems } from '../schemas.ts';

const DashboardSchema = z.object({
  date: IsoDateSchema,
  currency: z.string(),
  aging: z.array(z.object({ bucket: z.enum(BUCKETS), count: z.number().int(), balance: z.number().int() })),
  overdue: z.object({ count: z.number().int(), balance: z.number().int() }),
  receivable: z.number().int(),
  dso: z
    .number()
    .nullable()
    .describe(
      'days of sales by count-back, as the KPI report; null when 24 months of sales do not cover the receivables',
    ),
  automation: z.object({
    enabled: z.boolean(),
    time: z.string(),
    nextRun: z
      .object({ sends: z.number().int(), communications: z.number().int() })
      .nullable()
      .describe(`null above ${PLAN_LIMIT} open invoices (see GET /api/v1/plan)`),
  }),
  recent: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      to: z.array(z.string()),
      subject: z.string(),
      at: z.string(),
      lastError: z.string().nullable().describe('why it is not sent, as written for logs'),
      error: OutboxErrorSchema,
    }),
  ),
  outbox: z.record(z.string(), z.number().int()),
  missingRates: z
    .array(
      z.object({
        series: z.string(),
        halfYear: z.string(),
        date: IsoDateSchema,
        where: z.string(),
        fr: z.string(),
        en: z.string(),
      }),
    )
    .describe('late-payment rates to enter, from 30 days before a half-year without them'),
});

export function dashboardRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/dashboard',
    {
      config: { access: 'dashboard.view' },
      schema: {
        tags: ['reports'],
        summary: 'Overdue total, aged balance, DSO, what the next automatic run will do, recent sends and failures',
        querystring: z.object({ asOf: IsoDateSchema.optional() }),
        response: { 200: DashboardSchema, ...problems },
      },
    },
    async (request) => dashboard(api.db, actorOf(request), request.query.asOf),
  );
}

import { sql } from 'kysely';
import { z } from 'zod';
import { addDays, todayIn, type IsoDate } from '../../domain/calendar.ts';
import { planDunning } from '../../dunning/run-dunning.ts';
import { describeMissingRate, missingRatesFor } from '../../dunning/late-payment-rates.ts';
import { getCompany } from '../../storage/companies.ts';
import type { Db } from '../../storage/database.ts';
import { tenantForFullScan } from '../../storage/planner-hints.ts';
import { countOutbox, listOutboxPage } from '../../storage/outbox.ts';
import { scopeOf, type Scope } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, problems } from '../schemas.ts';

const BUCKETS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;
const PLAN_LIMIT = 20_000;

/** Open balance per currency and lateness bucket, and what was invoiced over the last 365 days (for the DSO), in two scans. */
async function ledgerFigures(db: Db, scope: Scope, asOf: IsoDate) {
  const [d30, d60, d90, year] = [addDays(asOf, -30), addDays(asOf, -60), addDays(asOf, -90), addDays(asOf, -365)];
  let open = db
    .selectFrom('invoices as i')
    .select((eb) => [
      'i.currency',
      sql<string>`case when i.due_date >= ${asOf} then 'notDue' when i.due_date >= ${d30} then 'd1_30'
        when i.due_date >= ${d60} then 'd31_60' when i.due_date >= ${d90} then 'd61_90' else 'd90plus' end`.as(
        'bucket',
      ),
      eb.fn.countAll<number>().as('count'),
      sql<number>`sum(i.total - i.allocated)`.as('balance'),
    ])
    .where('i.company_id', '=', scope.companyId)
    .where('i.status', '=', 'issued')
    .whereRef('i.allocated', '<', 'i.total')
    .groupBy(['i.currency', 'bucket']);
  if (scope.salesRep !== null) {
    const rep = scope.salesRep;
    open = open
      .innerJoin('customers as c', (j) =>
        j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .where('c.sales_rep', '=', rep);
  }
  let sales = db
    .selectFrom('invoices as i')
    .select(['i.currency', sql<number>`sum(i.total)`.as('total')])
    .where(tenantForFullScan(db, 'i.company_id'), '=', scope.companyId)
    .where('i.status', '=', 'issued')
    .where('i.issue_date', '>', year)
    .where('i.issue_date', '<=', asOf)
    .groupBy('i.currency');
  if (scope.salesRep !== null) {
    sales = sales
      .innerJoin('customers as c', (j) =>
        j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .where('c.sales_rep', '=', scope.salesRep);
  }
  return { open: await open.execute(), sales: await sales.execute() };
}

const DashboardSchema = z.object({
  date: IsoDateSchema,
  currency: z.string(),
  aging: z.array(z.object({ bucket: z.enum(BUCKETS), count: z.number().int(), balance: z.number().int() })),
  overdue: z.object({ count: z.number().int(), balance: z.number().int() }),
  receivable: z.number().int(),
  dso: z.number().nullable(),
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
      lastError: z.string().nullable(),
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
    async (request) => {
      const scope = scopeOf(request);
      const company = await getCompany(api.db, scope.companyId);
      const date = request.query.asOf ?? todayIn(company.timeZone);
      const { open, sales } = await ledgerFigures(api.db, scope, date);
      // Figures are in the company's currency; other currencies are left out of the sums rather than mixed in.
      const mine = open.filter((r) => r.currency === company.currency);
      const aging = BUCKETS.map((bucket) => {
        const row = mine.find((r) => r.bucket === bucket);
        return { bucket, count: Number(row?.count ?? 0), balance: Number(row?.balance ?? 0) };
      });
      const receivable = aging.reduce((n, b) => n + b.balance, 0);
      const overdue = aging.filter((b) => b.bucket !== 'notDue');
      const invoiced = Number(sales.find((r) => r.currency === company.currency)?.total ?? 0);
      // Planning is CPU-bound and holds the event loop: beyond this many open invoices the dashboard leaves the
      // next run to the Relances view rather than stall every other request for seconds.
      const openCount = aging.reduce((n, b) => n + b.count, 0);
      const plan =
        scope.salesRep === null && openCount <= PLAN_LIMIT
          ? await planDunning(api.db, scope.companyId, { date })
          : null;
      // Scoped like the outbox list: a collector restricted to a sales rep sees only its customers' messages.
      const rep = scope.salesRep ?? undefined;
      const [recent, outbox] = await Promise.all([
        listOutboxPage(api.db, scope.companyId, { limit: 10, customerSalesRep: rep }),
        countOutbox(api.db, scope.companyId, rep),
      ]);
      return {
        date,
        currency: company.currency,
        aging,
        receivable,
        overdue: {
          count: overdue.reduce((n, b) => n + b.count, 0),
          balance: overdue.reduce((n, b) => n + b.balance, 0),
        },
        dso: invoiced > 0 ? Math.round((receivable / invoiced) * 365 * 10) / 10 : null,
        automation: {
          enabled: company.automation.enabled,
          time: company.automation.time,
          nextRun: plan && {
            sends: plan.items.filter((i) => i.action === 'send').length,
            communications: plan.communications.length,
          },
        },
        recent: recent.map((m) => ({
          id: m.id,
          status: m.status,
          to: m.to,
          subject: m.subject,
          at: m.sentAt ?? m.createdAt,
          lastError: m.lastError,
        })),
        outbox,
        missingRates: (await missingRatesFor(api.db, scope.companyId, date)).map((m) => ({
          series: m.series,
          halfYear: m.halfYear,
          date: m.date,
          where: m.where,
          fr: describeMissingRate(m, 'fr'),
          en: describeMissingRate(m, 'en'),
        })),
      };
    },
  );
}

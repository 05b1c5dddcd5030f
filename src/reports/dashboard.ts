import { sql } from 'kysely';
import { addDays, todayIn, type IsoDate } from '../domain/calendar.ts';
import { describeMissingRate, missingRatesFor } from '../dunning/late-payment-rates.ts';
import { planDunning } from '../dunning/run-dunning.ts';
import type { Actor } from '../shared/actor.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { countOutbox, listOutboxPage } from '../storage/outbox.ts';
import { dsoOn } from './kpis.ts';

export const BUCKETS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;
export const PLAN_LIMIT = 20_000;

/** Open balance per currency and lateness bucket, in one grouped scan. */
async function ledgerFigures(db: Db, actor: Actor, asOf: IsoDate) {
  const [d30, d60, d90] = [addDays(asOf, -30), addDays(asOf, -60), addDays(asOf, -90)];
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
    .where('i.company_id', '=', actor.companyId)
    .where('i.status', '=', 'issued')
    .whereRef('i.allocated', '<', 'i.total')
    .groupBy(['i.currency', 'bucket']);
  if (actor.salesRep !== null) {
    const rep = actor.salesRep;
    open = open
      .innerJoin('customers as c', (j) =>
        j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .where('c.sales_rep', '=', rep);
  }
  return { open: await open.execute() };
}

/**
 * The dashboard's figures on a date (today by default) in the company's currency: aged balance, overdue, DSO (the
 * count-back DSO of the KPI report), what the next automatic run would do, recent messages and rates to enter. A
 * collector restricted to a représentant sees its customers' figures only.
 */
export async function dashboard(db: Db, actor: Actor, asOf?: IsoDate) {
  const company = await getCompany(db, actor.companyId);
  const date = asOf ?? todayIn(company.timeZone);
  const { open } = await ledgerFigures(db, actor, date);
  // Figures are in the company's currency; other currencies are left out of the sums rather than mixed in.
  const mine = open.filter((r) => r.currency === company.currency);
  const aging = BUCKETS.map((bucket) => {
    const row = mine.find((r) => r.bucket === bucket);
    return { bucket, count: Number(row?.count ?? 0), balance: Number(row?.balance ?? 0) };
  });
  const receivable = aging.reduce((n, b) => n + b.balance, 0);
  const overdue = aging.filter((b) => b.bucket !== 'notDue');
  // The count-back DSO, the KPI report's: the receivables against the months of sales just before the date.
  const dso = await dsoOn(
    db,
    actor.companyId,
    { date, currency: company.currency, customerSalesRep: actor.salesRep ?? undefined },
    receivable,
  );
  // Planning is CPU-bound and holds the event loop: beyond this many open invoices the dashboard leaves the
  // next run to the Relances view rather than stall every other request for seconds.
  const openCount = aging.reduce((n, b) => n + b.count, 0);
  const plan =
    actor.salesRep === null && openCount <= PLAN_LIMIT ? await planDunning(db, actor.companyId, { date }) : null;
  // Scoped like the outbox list: a collector restricted to a sales rep sees only its customers' messages.
  const rep = actor.salesRep ?? undefined;
  const [recent, outbox] = await Promise.all([
    listOutboxPage(db, actor.companyId, { limit: 10, customerSalesRep: rep }),
    countOutbox(db, actor.companyId, rep),
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
    // Receivables older than the months counted back leave no meaningful figure.
    dso: dso.exhausted ? null : dso.days,
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
      error: m.error,
    })),
    outbox,
    missingRates: (await missingRatesFor(db, actor.companyId, date)).map((m) => ({
      series: m.series,
      halfYear: m.halfYear,
      date: m.date,
      where: m.where,
      fr: describeMissingRate(m, 'fr'),
      en: describeMissingRate(m, 'en'),
    })),
  };
}

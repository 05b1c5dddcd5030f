import { sql, type RawBuilder } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { addDays, daysBetween, type IsoDate } from '../domain/calendar.ts';
import { inIds } from '../storage/in-list.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { indexedBy, tenantForFullScan } from '../storage/planner-hints.ts';
import { agedBalance } from './aging.ts';

export type KpiFilter = { date: IsoDate; months?: number; currency?: string; customerSalesRep?: string };

export type DsoPeriod = { from: IsoDate; to: IsoDate; days: number; sales: number; counted: number };
export type Dso = { days: number | null; receivables: number; periods: DsoPeriod[]; exhausted: boolean };
export type TrendPoint = { month: string; asOf: IsoDate; count: number; balance: number };
export type LevelEffect = {
  level: number;
  label: string;
  sent: number;
  paidWithin15Days: number;
  share: number | null;
};
export type Kpis = { date: IsoDate; currency: string; dso: Dso; overdueTrend: TrendPoint[]; levels: LevelEffect[] };

const WINDOW_DAYS = 15;
const DSO_MONTHS = 24;

const minusMonths = (date: IsoDate, months: number): IsoDate =>
  Temporal.PlainDate.from(date).subtract({ months }).toString();
const endOfMonth = (date: IsoDate): IsoDate => {
  const d = Temporal.PlainDate.from(date);
  return d.with({ day: d.daysInMonth }).toString();
};

/**
 * DSO by the count-back method: start from the receivables on D (every open balance, due or not, in
 * the currency) and walk back one month at a time (D−1 month, D], (D−2 months, D−1 month]…: while the
 * receivables left cover the month's sales (invoices issued then, tax included), take the whole month's
 * days and subtract its sales; in the first month they do not cover, take the share receivables ÷ sales of
 * its days and stop. The sum is the DSO. Unlike total ÷ average sales it follows the recent months, so a
 * seasonal peak of invoicing does not read as slow payers. After 24 months without covering, `exhausted`.
 */
export function countBackDso(receivables: number, periods: Omit<DsoPeriod, 'counted'>[]): Dso {
  let left = receivables;
  let days = 0;
  const used: DsoPeriod[] = [];
  for (const p of periods) {
    if (left <= 0) break;
    if (p.sales <= 0) {
      // a month without sales adds its days: the receivables are older than that
      used.push({ ...p, counted: p.days });
      days += p.days;
      continue;
    }
    const counted = left >= p.sales ? p.days : (left / p.sales) * p.days;
    used.push({ ...p, counted: Math.round(counted * 10) / 10 });
    days += counted;
    left -= p.sales;
  }
  return { days: receivables <= 0 ? 0 : Math.round(days * 10) / 10, receivables, periods: used, exhausted: left > 0 };
}

async function monthlySales(
  db: Db,
  companyId: string,
  filter: KpiFilter,
  currency: string,
): Promise<Omit<DsoPeriod, 'counted'>[]> {
  const ends = Array.from({ length: DSO_MONTHS + 1 }, (_, k) => minusMonths(filter.date, k));
  const sums = ends
    .slice(0, -1)
    .map((to, k) =>
      sql`sum(case when i.issue_date > ${ends[k + 1]} and i.issue_date <= ${to} then i.total else 0 end)`.as(`s${k}`),
    );
  let query = db
    .selectFrom('invoices as i')
    .select(sums as never)
    .where(tenantForFullScan(db, 'i.company_id'), '=', companyId)
    .where('i.status', '=', 'issued')
    .where('i.currency', '=', currency)
    .where('i.issue_date', '>', ends[DSO_MONTHS]!)
    .where('i.issue_date', '<=', filter.date);
  if (filter.customerSalesRep !== undefined) query = query.where(customersOf(companyId, filter.customerSalesRep));
  const row = (await query.executeTakeFirst()) as Record<string, unknown> | undefined;
  return ends.slice(0, -1).map((to, k) => ({
    from: addDays(ends[k + 1]!, 1),
    to,
    days: daysBetween(ends[k + 1]!, to),
    sales: Number(row?.[`s${k}`] ?? 0),
  }));
}

const customersOf = (companyId: string, salesRep: string) =>
  sql<boolean>`i.customer_id in (select id from customers where company_id = ${companyId} and sales_rep = ${salesRep})`;

/**
 * What was overdue (due before the day, balance left that day) at each month's end, the current month
 * as of D. An invoice's balance on a past day is its balance now plus what it received after that day, so
 * the figures add up from two small groupings instead of a pass over every invoice with all of its
 * allocations (measured on 1M invoices: 4.4-5.2 s before):
 * - invoices open now count from the first month-end on which they were due, with their balance now;
 * - each amount received after the first month-end adds to the month-ends from its invoice's first overdue
 *   one to the last one before it was received, and an invoice settled now counts in those before its last payment.
 */
async function overdueTrend(db: Db, companyId: string, filter: KpiFilter, currency: string): Promise<TrendPoint[]> {
  const months = filter.months ?? 12;
  const points = Array.from({ length: months }, (_, j) => {
    const asOf = j === 0 ? filter.date : endOfMonth(minusMonths(filter.date, j));
    return { month: asOf.slice(0, 7), asOf };
  }).reverse();
  const ends = points.map((p) => p.asOf);
  // Month-ends are in increasing order, and each condition, once true, stays true for the later ones.
  const firstOverdue = sql<number>`case ${sql.join(
    ends.map((d, k) => sql`when i.due_date < ${d} and i.issue_date <= ${d} then ${sql.lit(k)}`),
    sql` `,
  )} else ${sql.lit(months)} end`;
  const lastBefore = (date: RawBuilder<unknown>) =>
    sql<number>`case ${sql.join(
      ends.map((d, k) => sql`when ${date} > ${d} then ${sql.lit(k)}`).reverse(),
      sql` `,
    )} else -1 end`;
  const ofRep =
    filter.customerSalesRep === undefined ? sql`` : sql`and ${customersOf(companyId, filter.customerSalesRep)}`;
  const invoice = sql`i.status = 'issued' and i.currency = ${currency} and i.due_date < ${filter.date} ${ofRep}`;
  // What each invoice received after the first month-end, per last month-end before the money came (k1),
  // with the last such k1 of the invoice: an invoice settled now was still unpaid on the month-ends up to it.
  const receivedLater = sql`select invoice_id, k1, amount, max(k1) over (partition by invoice_id) as last_k1 from (
      select invoice_id, ${lastBefore(sql`date`)} as k1, sum(amount) as amount
      from allocations ${indexedBy(db, 'allocations_date_ix')} where company_id = ${companyId} and date > ${ends[0]}
      group by invoice_id, 2) as per_month`;
  type Cell = { k0: number; k1?: number; n: number; b: number };
  const open = await sql<Cell>`select ${firstOverdue} as k0, count(*) as n, sum(i.total - i.allocated) as b
    from invoices as i ${indexedBy(db, 'invoices_open_ix')} where i.company_id = ${companyId} and i.allocated < i.total and ${invoice}
    group by 1`.execute(db);
  const later = await sql<Cell>`select ${firstOverdue} as k0, l.k1, sum(l.amount) as b,
      sum(case when l.k1 = l.last_k1 and i.allocated >= i.total then 1 else 0 end) as n
    from (${receivedLater}) as l join invoices as i on i.company_id = ${companyId} and i.id = l.invoice_id
    where ${invoice} group by 1, 2`.execute(db);
  const count = points.map(() => 0);
  const balance = points.map(() => 0);
  const add = (cells: Cell[], until: (c: Cell) => number) => {
    for (const c of cells) {
      for (let k = Number(c.k0); k <= until(c); k++) {
        count[k]! += Number(c.n);
        balance[k]! += Number(c.b);
      }
    }
  };
  add(open.rows, () => months - 1);
  add(later.rows, (c) => Number(c.k1));
  return points.map((p, k) => ({ ...p, count: count[k]!, balance: balance[k]! }));
}

/**
 * Per reminder level: of the invoices that received it (sent at least 15 days before D, so the window is
 * complete, and within the trend's months), the share settled in full within 15 days after the sending.
 */
async function levelEffects(db: Db, companyId: string, filter: KpiFilter): Promise<LevelEffect[]> {
  const until = addDays(filter.date, -WINDOW_DAYS);
  const since = minusMonths(filter.date, filter.months ?? 12);
  let query = db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .leftJoin('communications as m', (j) =>
      j.onRef('m.company_id', '=', 'r.company_id').onRef('m.id', '=', 'r.communication_id'),
    )
    .select(['r.invoice_id', 'r.level', 'r.sent_on', 'i.total', 'm.label'])
    .where('r.company_id', '=', companyId)
    .where('r.state', '=', 'sent')
    .where('r.sent_on', '<=', until)
    .where('r.sent_on', '>', since);
  if (filter.customerSalesRep !== undefined) query = query.where(customersOf(companyId, filter.customerSalesRep));
  const reminders = await query.execute();
  const ids = [...new Set(reminders.map((r) => r.invoice_id))];
  const allocations = new Map<string, { date: IsoDate; amount: number }[]>();
  for (let at = 0; at < ids.length; at += 10_000) {
    const rows = await db
      .selectFrom('allocations')
      .select(['invoice_id', 'date', 'amount'])
      .where('company_id', '=', companyId)
      .where(inIds(db, 'invoice_id', ids.slice(at, at + 10_000)))
      .execute();
    for (const a of rows) {
      const list = allocations.get(a.invoice_id) ?? [];
      list.push({ date: a.date, amount: a.amount });
      allocations.set(a.invoice_id, list);
    }
  }
  const byLevel = new Map<number, LevelEffect>();
  for (const r of reminders) {
    let effect = byLevel.get(r.level);
    if (!effect)
      byLevel.set(
        r.level,
        (effect = {
          level: r.level,
          label: r.label ?? `Relance ${r.level}`,
          sent: 0,
          paidWithin15Days: 0,
          share: null,
        }),
      );
    const deadline = addDays(r.sent_on, WINDOW_DAYS);
    const paid = (allocations.get(r.invoice_id) ?? [])
      .filter((a) => a.date <= deadline)
      .reduce((s, a) => s + a.amount, 0);
    effect.sent++;
    if (paid >= r.total) effect.paidWithin15Days++;
  }
  return [...byLevel.values()]
    .sort((a, b) => a.level - b.level)
    .map((e) => ({ ...e, share: e.sent === 0 ? null : Math.round((e.paidWithin15Days / e.sent) * 1000) / 1000 }));
}

/** The count-back DSO on D of `receivables` (open balances in `currency`), over the months' sales before D. */
export async function dsoOn(
  db: Db,
  companyId: string,
  filter: KpiFilter & { currency: string },
  receivables: number,
): Promise<Dso> {
  return countBackDso(receivables, await monthlySales(db, companyId, filter, filter.currency));
}

/** The collection KPIs of one company on D, in one currency (the company's unless named). */
export async function collectionKpis(db: Db, companyId: string, filter: KpiFilter): Promise<Kpis> {
  const currency = filter.currency ?? (await getCompany(db, companyId)).currency;
  const aging = await agedBalance(db, companyId, { date: filter.date, customerSalesRep: filter.customerSalesRep });
  const receivables = aging.totals.find((t) => t.currency === currency)?.balance ?? 0;
  const [sales, trend, levels] = [
    await monthlySales(db, companyId, filter, currency),
    await overdueTrend(db, companyId, filter, currency),
    await levelEffects(db, companyId, filter),
  ];
  return { date: filter.date, currency, dso: countBackDso(receivables, sales), overdueTrend: trend, levels };
}

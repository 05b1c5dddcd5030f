import { sql } from 'kysely';
import { daysBetween, type IsoDate } from '../domain/calendar.ts';
import { inIds } from '../storage/in-list.ts';
import type { Db } from '../storage/database.ts';

export type RegisterFilter = {
  date: IsoDate;
  /** Only reminders sent in [from, to] (to defaults to `date`). */
  from?: IsoDate;
  to?: IsoDate;
  customerCode?: string;
  salesRep?: string;
  customerSalesRep?: string;
};

export type RegisterReminder = { level: number; label: string; sentOn: IsoDate; channel: string };
export type RegisterRow = {
  invoiceId: string;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  customerCode: string;
  customerName: string;
  salesRep: string | null;
  currency: string;
  total: number;
  balance: number;
  daysOverdue: number;
  reminders: RegisterReminder[];
};
export type RemindersRegister = { date: IsoDate; levels: { level: number; label: string }[]; rows: RegisterRow[] };

/**
 * "Relances envoyées": each reminded invoice with its customer, amount, due date, the date each
 * level was sent, its balance and days overdue on `date`. Reminders sent after `date` are left out, and so
 * are payments and credit notes dated after it.
 */
export async function remindersRegister(db: Db, companyId: string, filter: RegisterFilter): Promise<RemindersRegister> {
  const to = filter.to !== undefined && filter.to < filter.date ? filter.to : filter.date;
  let query = db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .leftJoin('communications as m', (j) =>
      j.onRef('m.company_id', '=', 'r.company_id').onRef('m.id', '=', 'r.communication_id'),
    )
    .select([
      'i.id',
      'i.number',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'i.total',
      'i.sales_rep',
      'c.code',
      'c.name',
      'r.level',
      'r.sent_on',
      'r.channel',
      'm.label',
    ])
    .where('r.company_id', '=', companyId)
    .where('r.state', '=', 'sent')
    .where('r.sent_on', '<=', to)
    .orderBy('c.code')
    .orderBy('i.number')
    .orderBy('r.level');
  if (filter.from !== undefined) query = query.where('r.sent_on', '>=', filter.from);
  if (filter.customerCode !== undefined) query = query.where('c.code', '=', filter.customerCode);
  if (filter.salesRep !== undefined) query = query.where('i.sales_rep', '=', filter.salesRep);
  if (filter.customerSalesRep !== undefined) query = query.where('c.sales_rep', '=', filter.customerSalesRep);
  const rows: RegisterRow[] = [];
  const levels = new Map<number, string>();
  for (const r of await query.execute()) {
    let last = rows[rows.length - 1];
    if (last?.invoiceId !== r.id) {
      last = {
        invoiceId: r.id,
        number: r.number,
        issueDate: r.issue_date,
        dueDate: r.due_date,
        customerCode: r.code,
        customerName: r.name,
        salesRep: r.sales_rep,
        currency: r.currency,
        total: r.total,
        balance: r.total,
        daysOverdue: daysBetween(r.due_date, filter.date),
        reminders: [],
      };
      rows.push(last);
    }
    const label = r.label ?? `Relance ${r.level}`;
    if (!levels.has(r.level)) levels.set(r.level, label);
    last.reminders.push({ level: r.level, label, sentOn: r.sent_on, channel: r.channel });
  }
  const paid = await allocatedBy(
    db,
    companyId,
    rows.map((r) => r.invoiceId),
    filter.date,
  );
  for (const row of rows) row.balance = row.total - (paid.get(row.invoiceId) ?? 0);
  return {
    date: filter.date,
    levels: [...levels].sort((a, b) => a[0] - b[0]).map(([level, label]) => ({ level, label })),
    rows,
  };
}

/** What each invoice had received by `date` (allocations dated on or before it), in chunks of ids. */
export async function allocatedBy(
  db: Db,
  companyId: string,
  invoiceIds: string[],
  date: IsoDate,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let at = 0; at < invoiceIds.length; at += 10_000) {
    const rows = await db
      .selectFrom('allocations')
      .select(['invoice_id', sql<number>`sum(amount)`.as('s')])
      .where('company_id', '=', companyId)
      .where('date', '<=', date)
      .where(inIds(db, 'invoice_id', invoiceIds.slice(at, at + 10_000)))
      .groupBy('invoice_id')
      .execute();
    for (const r of rows) result.set(r.invoice_id, Number(r.s));
  }
  return result;
}

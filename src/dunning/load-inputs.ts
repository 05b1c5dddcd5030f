import { sql } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import type { CustomerState, DunningInput, SentReminder } from '../domain/dunning/engine.ts';
import { policyFor } from '../domain/dunning/policy.ts';
import { arrayRows } from '../storage/array-rows.ts';
import type { Db } from '../storage/database.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { scheduledDueDates } from '../follow-ups/scheduled-due-dates.ts';
import { inIds } from '../storage/in-list.ts';
import { loadPolicies } from './load-policies.ts';

export { loadPolicies };

export type InputFilter = {
  customerCode?: string;
  invoiceNumbers?: string[];
  /** Only invoices whose next-action date has come (or is unknown): what a daily run must look at. */
  dueBy?: IsoDate;
  /**
   * SQLite only: the invoices whose rowid is in [from, to), a part of a split plan (split-plan.ts). Rowid order
   * is the order the open invoices' pages are read in, so each part reads its own pages, in turn.
   */
  rowids?: { from?: number; to?: number };
};

/**
 * A payment or credit note allocated to the invoice: a payment stops interest on its amount from the day after
 * it, a credit note (`credit`) takes its amount off the principal from the start.
 */
export type Settlement = { date: IsoDate; amount: number; credit?: true };

/** `updatedAt` is what the invoice looked like when read, to guard the next-action date written back. */
export type LoadedInput = DunningInput & {
  invoiceId: string;
  updatedAt: string;
  customerCountry: string;
  customerKind: 'company' | 'individual';
  /** The customer's "loi applicable" when its contract chose one (FR, DE, GB, EU). */
  customerLaw: string | null;
  /** The invoice's allocations, when asked for (late-payment charges follow them); none shares one empty list. */
  settlements?: Settlement[];
};

type CustomerFacts = {
  id: string;
  code: string;
  policyId: string | null;
  country: string;
  kind: 'company' | 'individual';
  law: string | null;
  state: CustomerState;
};

/**
 * How many invoices read have their customers and reminders looked up by id (one bound list): a few for a plan
 * (which reads most of the ledger, and then all its customers and history in one pass), up to 20,000 for a daily
 * run, which reads only the invoices due that day and so must cost what is due, not the size of the ledger.
 */
function byIdLimit(filter: InputFilter): number {
  return filter.dueBy ? 20_000 : 500;
}

/** The customers of the invoices read: by id, or all of the company's when the invoices are many. */
async function loadCustomers(
  db: Db,
  companyId: string,
  ids: string[],
  customerCode: string | undefined,
  limit: number,
): Promise<Map<string, CustomerFacts>> {
  // Yes/no answers computed by the database: two strings less per customer to build, and no list of contacts.
  // A bounced address does not count: a customer left with none is planned for letters.
  let query = db
    .selectFrom('customers as c')
    .select([
      'c.id',
      'c.code',
      'c.policy_id',
      'c.dunning_paused_until',
      'c.dunning_blocked_reason',
      'c.country',
      'c.kind',
      sql<number>`case when coalesce(c.address_line1, '') <> '' and coalesce(c.city, '') <> '' then 1 else 0 end`.as(
        'postal',
      ),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('contacts as k')
              .select(sql`1`.as('one'))
              .whereRef('k.company_id', '=', 'c.company_id')
              .whereRef('k.customer_id', '=', 'c.id')
              .where('k.email', 'is not', null)
              .where('k.email_bounced_at', 'is', null),
          )
          .as('email'),
      'c.governing_law',
      'c.reply_unread_since',
    ])
    .where('c.company_id', '=', companyId);
  if (customerCode !== undefined) query = query.where('c.code', '=', customerCode);
  if (ids.length <= limit) query = query.where(inIds(db, 'c.id', ids));
  const customers = new Map<string, CustomerFacts>();
  for (const c of await arrayRows(query)) {
    customers.set(c[0] as string, {
      id: c[0] as string,
      code: c[1] as string,
      policyId: c[2] as string | null,
      country: c[5] as string,
      kind: c[6] as 'company' | 'individual',
      law: (c[9] as string | null) ?? null,
      // One state object per customer, shared by its invoices.
      state: {
        pausedUntil: (c[3] as IsoDate | null) ?? null,
        blockedReason: (c[4] as string | null) ?? null,
        replyUnreadSince: (c[10] as IsoDate | null) ?? null,
        hasEmail: Boolean(c[8]),
        hasPostalAddress: c[7] === 1,
      },
    });
  }
  return customers;
}

/** The reminders of every open invoice (of a rowid range on SQLite): the history a whole-ledger plan needs. */
function wholeHistory(db: Db, companyId: string, { from, to }: { from?: number; to?: number }) {
  let history = db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['r.invoice_id', 'r.level', 'r.sent_on', 'r.state'])
    .where('r.company_id', '=', companyId)
    .where('r.state', '<>', 'cancelled')
    .where(isOpenInvoice('i'));
  // Unary plus: a filter on the invoice found, not a scan of invoices by rowid driving the join.
  if (from !== undefined) history = history.where(sql`+i.rowid`, '>=', from);
  if (to !== undefined) history = history.where(sql`+i.rowid`, '<', to);
  return history;
}

const NO_REMINDERS: SentReminder[] = Object.freeze([]) as unknown as SentReminder[];
const NO_SETTLEMENTS: Settlement[] = Object.freeze([]) as unknown as Settlement[];

/** One `date amount` (a payment) or `date amount c` (a credit note) as the settlements query below writes it. */
function settlement(part: string): Settlement {
  const space = part.indexOf(' ', 11);
  if (space < 0) return { date: part.slice(0, 10), amount: Number(part.slice(11)) };
  return { date: part.slice(0, 10), amount: Number(part.slice(11, space)), credit: true };
}

/** `date amount,date amount c…` as the settlements query below writes them. */
function parseSettlements(text: string | null): Settlement[] {
  if (text === null) return NO_SETTLEMENTS;
  if (text.indexOf(',') < 0) return [settlement(text)];
  const list: Settlement[] = [];
  for (const part of text.split(',')) list.push(settlement(part));
  return list;
}

/**
 * Reads what the planner needs for the open invoices (balance above zero, not cancelled): each invoice,
 * its customer's holds and contacts, the reminders it already received and, with `settlements`, its
 * allocations.
 *
 * A plan reads hundreds of thousands of invoices, so this is shaped for it: rows come as arrays, customers
 * are read once rather than joined to every invoice and share one state object among their invoices, only
 * partly paid invoices look up their allocations (inside the same query), and invoices without history
 * share one empty list (the garbage collector was the largest cost of a plan).
 */
export async function loadDunningInputs(
  db: Db,
  companyId: string,
  filter: InputFilter = {},
  options: { settlements?: boolean; policies?: Awaited<ReturnType<typeof loadPolicies>> } = {},
): Promise<LoadedInput[]> {
  const withSettlements = options.settlements ?? false;
  const settled = !withSettlements
    ? sql<string | null>`null`
    : isPostgres(db)
      ? sql<string | null>`case when i.allocated > 0 then (select string_agg(a.date::text || ' ' || a.amount::text
        || case when a.credit_note_id is null then '' else ' c' end, ',')
        from allocations a where a.company_id = i.company_id and a.invoice_id = i.id) end`
      : // Without the hint SQLite walks the (covering) date index of every allocation for each invoice.
        sql<string | null>`case when i.allocated > 0 then (select group_concat(a.date || ' ' || a.amount
        || case when a.credit_note_id is null then '' else ' c' end, ',')
        from allocations a indexed by allocations_invoice_ix where a.company_id = i.company_id and a.invoice_id = i.id) end`;
  // On PostgreSQL the text the timestamp parser would make (database.ts), written by the server: parsing it into a
  // Date and back was a fifth of the client's CPU for reading a plan's 267,000 open invoices.
  const updatedAt = isPostgres(db)
    ? sql<string>`to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql<string>`i.updated_at`;
  let query = db
    .selectFrom('invoices as i')
    .select([
      'i.id as invoiceId',
      updatedAt.as('updatedAt'),
      'i.number',
      'i.customer_id as customerId',
      'i.issue_date as issueDate',
      'i.due_date as dueDate',
      'i.currency',
      'i.total',
      'i.allocated',
      'i.disputed',
      'i.dispute_reason as disputeReason',
      'i.promise_to_pay_date as promiseToPayDate',
      settled.as('settled'),
      'i.payment_announced_on as paymentAnnouncedOn',
    ])
    .where('i.company_id', '=', companyId)
    .where(isOpenInvoice('i'));
  if (filter.customerCode) {
    const code = filter.customerCode;
    query = query.where('i.customer_id', 'in', (eb) =>
      eb.selectFrom('customers').select('id').where('company_id', '=', companyId).where('code', '=', code),
    );
  }
  if (filter.invoiceNumbers?.length) query = query.where('i.number', 'in', filter.invoiceNumbers);
  const { from, to } = filter.rowids ?? {};
  if (from !== undefined) query = query.where(sql`i.rowid`, '>=', from);
  if (to !== undefined) query = query.where(sql`i.rowid`, '<', to);
  if (filter.dueBy) {
    // Two ranges of the open invoices' next-action index, never yet examined and due by that day. Written as one
    // OR, both engines read every open invoice and filtered them: a daily run cost the size of the ledger.
    const dueBy = filter.dueBy;
    query = query.where('i.next_action_date', 'is', null).unionAll(query.where('i.next_action_date', '<=', dueBy));
  }
  // Independent reads started together (each on its own connection on PostgreSQL).
  const [policies, rows, hasSchedules] = await Promise.all([
    options.policies ?? loadPolicies(db, companyId),
    arrayRows(query),
    db.selectFrom('payment_schedules').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst(),
  ]);
  if (rows.length === 0) return [];
  const customerIds = new Set<string>();
  for (const r of rows) customerIds.add(r[3] as string);
  const history =
    rows.length <= byIdLimit(filter)
      ? db
          .selectFrom('reminders as r')
          .select(['r.invoice_id', 'r.level', 'r.sent_on', 'r.state'])
          .where('r.company_id', '=', companyId)
          .where('r.state', '<>', 'cancelled')
          .where(
            inIds(
              db,
              'r.invoice_id',
              rows.map((r) => r[0] as string),
            ),
          )
      : wholeHistory(db, companyId, filter.rowids ?? {});
  const [customers, historyRows] = await Promise.all([
    // Twice as many customers as invoices by id: a plan's earlier limits (1,000 customers, 500 invoices).
    loadCustomers(db, companyId, [...customerIds], filter.customerCode, 2 * byIdLimit(filter)),
    arrayRows(history),
  ]);
  const reminders = new Map<string, SentReminder[]>();
  for (const r of historyRows) {
    // A pending reminder (its message still queued) takes its level but does not count as sent.
    const sent: SentReminder =
      r[3] === 'pending'
        ? { level: r[1] as number, date: r[2] as IsoDate, pending: true }
        : { level: r[1] as number, date: r[2] as IsoDate };
    const list = reminders.get(r[0] as string);
    if (list) list.push(sent);
    else reminders.set(r[0] as string, [sent]);
  }

  const inputs: LoadedInput[] = [];
  // The customer's id and the currency as one string each, shared by the invoices (the rows bring a copy each).
  const currencies = new Map<string, string>();
  for (const row of rows) {
    const invoiceId = row[0] as string;
    const customer = customers.get(row[3] as string);
    if (!customer) continue; // deleted between the two reads; the next plan sees the ledger settled
    let currency = currencies.get(row[6] as string);
    if (currency === undefined) currencies.set(row[6] as string, (currency = row[6] as string));
    const invoice = {
      number: row[2] as string,
      customerId: customer.id,
      customerCode: customer.code,
      issueDate: row[4] as IsoDate,
      dueDate: row[5] as IsoDate,
      currency,
      total: row[7] as number,
      allocated: row[8] as number,
      status: 'issued' as const,
      disputed: row[9] === 1,
      disputeReason: row[10] as string | null,
      promiseToPayDate: row[11] as IsoDate | null,
      paymentAnnouncedOn: row[13] as IsoDate | null,
    };
    inputs.push({
      invoiceId,
      updatedAt: row[1] as string,
      customerCountry: customer.country,
      customerKind: customer.kind,
      customerLaw: customer.law,
      invoice,
      reminders: reminders.get(invoiceId) ?? NO_REMINDERS,
      customer: customer.state,
      policy: policyFor(customer, policies),
      settlements: withSettlements ? parseSettlements(row[12] as string | null) : undefined,
    });
  }
  // An invoice on a payment schedule (échéancier) is late from its first unpaid instalment, not its own due date.
  // Most companies have none: then the list of every invoice the lookup takes is not even built.
  if (!hasSchedules) return inputs;
  const scheduled = await scheduledDueDates(
    db,
    companyId,
    inputs.map((input) => ({
      invoiceId: input.invoiceId,
      number: input.invoice.number,
      customerId: input.invoice.customerId,
      total: input.invoice.total,
      allocated: input.invoice.allocated,
    })),
  );
  for (const input of inputs) {
    const dueDate = scheduled.get(input.invoiceId);
    if (dueDate !== undefined) input.invoice.dueDate = dueDate;
  }
  return inputs;
}

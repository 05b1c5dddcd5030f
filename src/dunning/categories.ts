import { sql, type Kysely } from 'kysely';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import {
  nextActionDate,
  preReminderEndsOn,
  planInvoice,
  type DunningInput,
  type PlanItem,
} from '../domain/dunning/engine.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import type { Database } from '../storage/schema.ts';
import { loadDunningInputs, type LoadedInput } from './load-inputs.ts';

/**
 * The "Relances" categories of eKo's document list, cached per invoice.
 *
 * An invoice's category is a function of its state and the date, and it only changes on the date the
 * next step becomes sendable (its next-action date) or when the state changes: a 'send' stays a send
 * until it is recorded, a skip stays a skip until the ledger moves, a 'wait' lasts until its hold ends.
 * So the planner's answer is stored with the date it holds until, and trusted while the invoice's
 * next-action date is set: every ledger change resets that date to null, and recording a reminder
 * resets both. Listing a category is then an index range; only invoices changed since (or whose
 * category expired) are planned again, instead of the whole ledger on every request.
 */
const NEVER = '9999-12-31';

/** Why an overdue invoice is held, as the suffix of its "held-…" category (à traiter). */
const HELD: Partial<Record<string, string>> = {
  disputed: 'disputed',
  customer_blocked: 'blocked',
  below_minimum: 'below-minimum',
  customer_paused: 'paused',
  reply_unread: 'paused',
  promise_to_pay: 'promised',
  payment_announced: 'promised',
  no_contact: 'no-contact',
};
export const HELD_CATEGORIES = [
  'held-disputed',
  'held-blocked',
  'held-below-minimum',
  'held-paused',
  'held-promised',
  'held-no-contact',
] as const;

/**
 * The category of a plan item: level-N (to send), level-N-in-progress, out-of-cycle, upcoming (overdue,
 * first reminder still to come), held-REASON (overdue and held: dispute, block, minimum, pause, promise,
 * no contact), or null. Every overdue open invoice has one, so none vanishes from the Relances screen.
 */
export function categoryOf(item: PlanItem): string | null {
  if (item.action === 'send') return `level-${item.nextLevel}`;
  const code = item.reason?.code;
  if (code === 'out_of_cycle') return 'out-of-cycle';
  // A reminder whose message waits in the outbox is not sent yet: the invoice stays where its sent levels put it.
  const waiting = code === 'not_yet_due' || code === 'too_soon' || code === 'awaiting_dispatch';
  if (waiting && item.lastLevel > 0) return `level-${item.lastLevel}-in-progress`;
  if (item.daysOverdue <= 0) return null;
  if (waiting) return 'upcoming';
  const held = code ? HELD[code] : undefined;
  return held ? `held-${held}` : null;
}

export type CategoryEntry = { category: string; until: IsoDate; next: IsoDate };

/** What is stored for an invoice planned on `date`: its category ('' for none), until when, and its next-action date. */
export function categoryEntry(input: DunningInput, date: IsoDate): CategoryEntry {
  const item = planInvoice(input, date);
  const next = nextActionDate(input, date);
  let until = next !== null && next > date ? next : NEVER;
  // A pre-reminder still to send (or held) stops being one the day after the due date.
  const ends = preReminderEndsOn(input, date);
  if (ends !== null && until > ends) until = ends;
  // The day after the due date an invoice becomes overdue: "upcoming" or held from then on.
  const overdueFrom = addDays(input.invoice.dueDate, 1);
  if (overdueFrom > date && until > overdueFrom) until = overdueFrom;
  return { category: (item && categoryOf(item)) ?? '', until, next: next ?? NEVER };
}

/** The highest reminder level the planner saw for an invoice: a newer reminder always has a higher one. */
/** The highest level recorded (a pending one included) when the category was worked out. */
export function levelSeen(input: DunningInput): number {
  let max = 0;
  for (const r of input.reminders) if (r.level > max) max = r.level;
  return max;
}

type Row = { id: string; updatedAt: string; level: number } & CategoryEntry;

/**
 * Writes entries computed from what was read. A row changed since (updated_at moved) or reminded
 * meanwhile (a reminder above the level seen) is left alone: it stays stale and is planned again.
 */
async function storeEntries(db: Kysely<Database>, companyId: string, rows: Row[]): Promise<void> {
  for (let at = 0; at < rows.length; at += 1_000) {
    const chunk = rows.slice(at, at + 1_000);
    if (isPostgres(db)) {
      const values = sql.join(
        chunk.map(
          (r) =>
            sql`(${r.id}::uuid, ${r.updatedAt}::timestamptz, ${r.category}, ${r.until}::date, ${r.next}::date, ${r.level}::int)`,
        ),
      );
      await sql`update invoices as i set dunning_category = v.c, category_until = v.u, next_action_date = v.n
        from (values ${values}) as v(id, stamp, c, u, n, l)
        where i.company_id = ${companyId} and i.id = v.id and i.updated_at = v.stamp
          and not exists (select 1 from reminders r where r.company_id = i.company_id and r.invoice_id = i.id and r.level > v.l
            and r.state <> 'cancelled')`.execute(db);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      for (const r of chunk) {
        await trx
          .updateTable('invoices')
          .set({ dunning_category: r.category, category_until: r.until, next_action_date: r.next })
          .where('company_id', '=', companyId)
          .where('id', '=', r.id)
          .where('updated_at', '=', r.updatedAt)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('reminders')
                  .select('id')
                  .where('company_id', '=', companyId)
                  .where('invoice_id', '=', r.id)
                  .where('level', '>', r.level)
                  .where('state', '<>', 'cancelled'),
              ),
            ),
          )
          .execute();
      }
    });
  }
}

/** The open invoices whose cached category cannot be trusted on `date`. */
async function staleNumbers(db: Kysely<Database>, companyId: string, date: IsoDate): Promise<string[]> {
  // Three index ranges of the partial indexes on open invoices, rather than one OR no index serves.
  const open = sql<boolean>`status = 'issued' and allocated < total`;
  const base = () => db.selectFrom('invoices').select('number').where('company_id', '=', companyId).where(open);
  const found = await Promise.all([
    base().where('next_action_date', 'is', null).execute(),
    base().where('category_until', 'is', null).execute(),
    base().where('category_until', '<=', date).execute(),
  ]);
  return [...new Set(found.flat().map((r) => r.number))];
}

const inflight = new Map<string, Promise<number>>();

/**
 * Plans again the open invoices whose category is stale on `date` (today: a cache for another date
 * would be wrong today) and stores the result. Concurrent callers for the same company share one
 * refresh. Returns how many invoices were planned.
 */
export function refreshCategories(db: Kysely<Database>, companyId: string, date: IsoDate): Promise<number> {
  const key = `${companyId}|${date}`;
  const running = inflight.get(key);
  if (running) return running;
  const work = (async () => {
    const numbers = await staleNumbers(db, companyId, date);
    if (numbers.length === 0) return 0;
    let inputs: LoadedInput[] = [];
    // Many stale invoices: one set-based load of the ledger beats thousands of small ones.
    if (numbers.length > 5_000) {
      const wanted = new Set(numbers);
      inputs = (await loadDunningInputs(db, companyId)).filter((i) => wanted.has(i.invoice.number));
    } else {
      for (let at = 0; at < numbers.length; at += 500) {
        inputs.push(...(await loadDunningInputs(db, companyId, { invoiceNumbers: numbers.slice(at, at + 500) })));
      }
    }
    await storeEntries(
      db,
      companyId,
      inputs.map((input) => ({
        id: input.invoiceId,
        updatedAt: input.updatedAt,
        level: levelSeen(input),
        ...categoryEntry(input, date),
      })),
    );
    return inputs.length;
  })().finally(() => inflight.delete(key));
  inflight.set(key, work);
  return work;
}

export type CategoryCount = { key: string; level: number | null; count: number; balance: Record<string, number> };

/** Count and balance per currency of each cached category on `date`, optionally for one sales rep's customers. */
export async function categoryCounts(
  db: Kysely<Database>,
  companyId: string,
  date: IsoDate,
  options: { customerSalesRep?: string } = {},
): Promise<CategoryCount[]> {
  let query = db
    .selectFrom('invoices as i')
    .select([
      'i.dunning_category as category',
      'i.currency',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>(sql`i.total - i.allocated`).as('balance'),
    ])
    .where('i.company_id', '=', companyId)
    .where('i.dunning_category', '>', '')
    .where('i.next_action_date', 'is not', null)
    .where('i.category_until', '>', date)
    .where(sql<boolean>`i.status = 'issued' and i.allocated < i.total`)
    .groupBy(['i.dunning_category', 'i.currency']);
  if (options.customerSalesRep) {
    const rep = options.customerSalesRep;
    query = query.where('i.customer_id', 'in', (eb) =>
      eb.selectFrom('customers').select('id').where('company_id', '=', companyId).where('sales_rep', '=', rep),
    );
  }
  const byKey = new Map<string, CategoryCount>();
  for (const row of await query.execute()) {
    const key = row.category!;
    const level = /^level-(\d+)/.exec(key)?.[1];
    const entry = byKey.get(key) ?? { key, level: level === undefined ? null : Number(level), count: 0, balance: {} };
    entry.count += Number(row.n);
    entry.balance[row.currency] = (entry.balance[row.currency] ?? 0) + Number(row.balance);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

export { NEVER as CATEGORY_NEVER };

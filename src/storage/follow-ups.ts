import { sql } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import { groupBy } from '../shared/group-by.ts';
import { newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';
import { inIds } from './in-list.ts';

/** The company's own quote follow-up policy as saved (JSON), or null when it keeps the default one. */
export async function getQuotePolicyJson(db: Db, companyId: string): Promise<unknown | null> {
  const row = await db
    .selectFrom('follow_up_settings')
    .select('quote_policy')
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row ? JSON.parse(row.quote_policy) : null;
}

/** Saves the quote follow-up policy as given; null goes back to the default one. */
export async function setQuotePolicyJson(db: Db, companyId: string, json: unknown | null): Promise<void> {
  if (json === null) {
    await db.deleteFrom('follow_up_settings').where('company_id', '=', companyId).execute();
    return;
  }
  const text = JSON.stringify(json);
  await db
    .insertInto('follow_up_settings')
    .values({ company_id: companyId, quote_policy: text, updated_at: nowIso() })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ quote_policy: text, updated_at: nowIso() }))
    .execute();
}

/**
 * The quotes still pending and not expired on `date`, with the follow-ups each already had. The history of quotes
 * long since signed or expired stays unread.
 */
export async function pendingQuotesWithHistory(db: Db, companyId: string, date: IsoDate) {
  const rows = await db
    .selectFrom('quotes')
    .select(['id', 'number', 'customer_id', 'valid_until', 'date'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'pending')
    .where('valid_until', '>=', date)
    .orderBy('number')
    .execute();
  const sentRows =
    rows.length === 0
      ? []
      : await db
          .selectFrom('quote_reminders')
          .select(['quote_id', 'level', 'sent_on'])
          .where('company_id', '=', companyId)
          .where(
            inIds(
              db,
              'quote_id',
              rows.map((q) => q.id),
            ),
          )
          .execute();
  return {
    quotes: rows.map((q) => ({
      id: q.id,
      number: q.number,
      customerId: q.customer_id,
      validUntil: q.valid_until,
      date: q.date,
    })),
    sent: groupBy(
      sentRows,
      (r) => r.quote_id,
      (r) => ({ level: r.level, sentOn: r.sent_on }),
    ),
  };
}

/**
 * The unpaid invoices with a payment schedule that the dunning's holds leave open on `date` (no dispute, no promise
 * to pay still running, customer neither paused nor blocked), each with its instalments, and the instalments
 * already reminded (`scheduleId:seq`).
 */
export async function scheduledInvoicesOn(db: Db, companyId: string, date: IsoDate) {
  const scheduled = await db
    .selectFrom('payment_schedules as s')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 's.company_id').onRef('i.id', '=', 's.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select(['s.id', 'i.id as invoice_id', 'i.number', 'i.customer_id', 'i.total', 'i.allocated'])
    .where('s.company_id', '=', companyId)
    .where('i.status', '=', 'issued')
    .where('i.disputed', '=', 0)
    .where((eb) => eb.or([eb('i.promise_to_pay_date', 'is', null), eb('i.promise_to_pay_date', '<', date)]))
    .where('c.dunning_blocked_reason', 'is', null)
    .where((eb) => eb.or([eb('c.dunning_paused_until', 'is', null), eb('c.dunning_paused_until', '<', date)]))
    .where(sql<boolean>`i.allocated < i.total`)
    .orderBy('i.number')
    .execute();
  const ids = scheduled.map((s) => s.id);
  const instalmentRows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('instalments')
          .selectAll()
          .where('company_id', '=', companyId)
          .where(inIds(db, 'schedule_id', ids))
          .execute();
  const remindedRows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('instalment_reminders')
          .select(['schedule_id', 'seq'])
          .where('company_id', '=', companyId)
          .where(inIds(db, 'schedule_id', ids))
          .execute();
  const instalmentsOf = groupBy(
    instalmentRows,
    (r) => r.schedule_id,
    (r) => ({ seq: r.seq, dueDate: r.due_date, amount: r.amount }),
  );
  return {
    invoices: scheduled.map((s) => ({
      scheduleId: s.id,
      invoiceId: s.invoice_id,
      number: s.number,
      customerId: s.customer_id,
      total: s.total,
      allocated: s.allocated,
      instalments: instalmentsOf.get(s.id) ?? [],
    })),
    reminded: new Set(remindedRows.map((r) => `${r.schedule_id}:${r.seq}`)),
  };
}

/** The codes of the given customers, by id. */
export async function customerCodesById(db: Db, companyId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'code'])
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', ids))
    .execute();
  return new Map(rows.map((c) => [c.id, c.code]));
}

/** The follow-ups of quotes sent on `date` at `level`, in the e-mail `outboxId`. */
export async function insertQuoteReminders(
  db: Db,
  companyId: string,
  sent: { quoteIds: string[]; level: number; date: IsoDate; outboxId: string },
): Promise<void> {
  await db
    .insertInto('quote_reminders')
    .values(
      sent.quoteIds.map((quoteId) => ({
        company_id: companyId,
        id: newId(),
        quote_id: quoteId,
        level: sent.level,
        sent_on: sent.date,
        outbox_id: sent.outboxId,
        created_at: nowIso(),
      })),
    )
    .execute();
}

/** The reminder of one instalment sent on `date`, in the e-mail `outboxId`. */
export async function insertInstalmentReminder(
  db: Db,
  companyId: string,
  sent: { scheduleId: string; seq: number; date: IsoDate; outboxId: string },
): Promise<void> {
  await db
    .insertInto('instalment_reminders')
    .values({
      company_id: companyId,
      id: newId(),
      schedule_id: sent.scheduleId,
      seq: sent.seq,
      sent_on: sent.date,
      outbox_id: sent.outboxId,
      created_at: nowIso(),
    })
    .execute();
}

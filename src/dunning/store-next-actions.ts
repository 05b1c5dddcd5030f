import { sql, type Kysely } from 'kysely';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import { nextActionDate } from '../domain/dunning/engine.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import type { Database } from '../storage/schema.ts';
import { categoryEntry, levelSeen } from './categories.ts';
import type { LoadedInput } from './load-inputs.ts';

/** Stored for invoices on which nothing will happen until the ledger or the customer changes. */
export const NEVER = '9999-12-31';
/** Invoices written per statement. */
const CHUNK = 5_000;

type NextAction = {
  id: string;
  updatedAt: string;
  next: IsoDate;
  category: string | null;
  until: IsoDate | null;
  seen: number;
};

function nextActionOf(input: LoadedInput, date: IsoDate, withCategories: boolean): NextAction {
  // A step due today that could not be sent (no contact, race) is looked at again tomorrow, not today.
  let next = nextActionDate(input, date) ?? NEVER;
  if (next <= date) next = addDays(date, 1);
  // The "Relances" category comes with it, computed from the same state (src/dunning/categories.ts), unless
  // another run recorded a level this one did not see: then it is left to be computed again, as it is after a
  // run for another day, which cannot say what holds today.
  const entry = withCategories ? categoryEntry(input, date) : null;
  return {
    id: input.invoiceId,
    updatedAt: input.updatedAt,
    next,
    category: entry ? entry.category : null,
    until: entry ? entry.until : null,
    seen: levelSeen(input),
  };
}

/**
 * Stores when each examined invoice next needs attention, a few thousand invoices per UPDATE … FROM a list of
 * values (one statement per invoice was most of a daily run that records little). The updated_at guard leaves
 * alone an invoice changed (paid, disputed…) while the run worked: its next-action date stays unknown and it is
 * re-read.
 */
export async function storeNextActions(
  db: Kysely<Database>,
  companyId: string,
  inputs: LoadedInput[],
  date: IsoDate,
  withCategories: boolean,
): Promise<void> {
  const pg = isPostgres(db);
  await db.transaction().execute(async (trx) => {
    for (let at = 0; at < inputs.length; at += CHUNK) {
      const rows = inputs.slice(at, at + CHUNK).map((input) => nextActionOf(input, date, withCategories));
      if (pg) {
        const stale = sql`v.category is null or exists (select 1 from reminders r where r.company_id = i.company_id
          and r.invoice_id = i.id and r.level > v.seen)`;
        await sql`update invoices as i set next_action_date = v.next,
            dunning_category = case when ${stale} then null else v.category end,
            category_until = case when ${stale} then null else v.until end
          from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.updatedAt)}::timestamptz[],
            ${rows.map((r) => r.next)}::date[], ${rows.map((r) => r.category)}::text[],
            ${rows.map((r) => r.until)}::date[], ${rows.map((r) => r.seen)}::int[])
            as v(id, updated_at, next, category, until, seen)
          where i.company_id = ${companyId} and i.id = v.id and i.updated_at = v.updated_at`.execute(trx);
      } else {
        // One JSON array of [id, updated_at, next, category, until, seen] per invoice, read by json_each.
        const stale = sql`v.category is null or exists (select 1 from reminders r where r.company_id = i.company_id
          and r.invoice_id = i.id and r.level > v.seen and r.state <> 'cancelled')`;
        const values = JSON.stringify(rows.map((r) => [r.id, r.updatedAt, r.next, r.category, r.until, r.seen]));
        await sql`update invoices as i set next_action_date = v.next,
            dunning_category = case when ${stale} then null else v.category end,
            category_until = case when ${stale} then null else v.until end
          from (select json_extract(value, '$[0]') as id, json_extract(value, '$[1]') as updated_at,
            json_extract(value, '$[2]') as next, json_extract(value, '$[3]') as category,
            json_extract(value, '$[4]') as until, json_extract(value, '$[5]') as seen from json_each(${values})) as v
          where i.company_id = ${companyId} and i.id = v.id and i.updated_at = v.updated_at`.execute(trx);
      }
    }
  });
}

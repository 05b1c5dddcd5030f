import { CompiledQuery, sql } from 'kysely';
import type { Db } from './database.ts';
import { inIds } from './in-list.ts';
import { isPostgres } from './migrations/column-types.ts';

/**
 * When an invoice next needs attention and its "Relances" category, as a run worked them out. `updatedAt` is the
 * invoice as the run read it; `seen` the highest reminder level the run saw (a category is written only when no
 * reminder above it was recorded meanwhile).
 */
export type NextActionRow = {
  id: string;
  updatedAt: string;
  next: string;
  category: string | null;
  until: string | null;
  seen: number;
};

/** Invoices written per statement on PostgreSQL. */
const CHUNK = 5_000;

/**
 * Writes the rows in the caller's transaction. The updated_at guard leaves alone an invoice changed (paid,
 * disputed…) since it was read: its next-action date stays unknown and it is read again. A category is kept only
 * when no reminder above the level the run saw was recorded meanwhile.
 */
export async function writeNextActions(db: Db, companyId: string, all: NextActionRow[]): Promise<void> {
  if (all.length === 0) return;
  if (!isPostgres(db)) {
    // One prepared UPDATE run per row (the `/*each row*\/` statement of sqlite-statement-cache.ts): its plan is a
    // primary-key lookup whatever the statistics say. A single UPDATE … FROM json_each was planned, on a database
    // not yet analysed (a new one, the demo being loaded), as a scan of the company's invoices with a scan of the
    // list for each: 0.4 ms per row, quadratic.
    const stale = `@category is null or exists (select 1 from reminders r where r.company_id = @company
      and r.invoice_id = @id and r.level > @seen and r.state <> 'cancelled')`;
    await db.executeQuery(
      CompiledQuery.raw(
        `/*each row*/ update invoices set next_action_date = @next,
          dunning_category = case when ${stale} then null else @category end,
          category_until = case when ${stale} then null else @until end
        where company_id = @company and id = @id and updated_at = @updatedAt`,
        all.map((r) => ({ ...r, company: companyId })),
      ),
    );
    return;
  }
  // A few thousand invoices per UPDATE … FROM the arrays of their values.
  for (let at = 0; at < all.length; at += CHUNK) {
    const rows = all.slice(at, at + CHUNK);
    const stale = sql`v.category is null or exists (select 1 from reminders r where r.company_id = i.company_id
        and r.invoice_id = i.id and r.level > v.seen)`;
    await sql`update invoices as i set next_action_date = v.next,
          dunning_category = case when ${stale} then null else v.category end,
          category_until = case when ${stale} then null else v.until end
        from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.updatedAt)}::timestamptz[],
          ${rows.map((r) => r.next)}::date[], ${rows.map((r) => r.category)}::text[],
          ${rows.map((r) => r.until)}::date[], ${rows.map((r) => r.seen)}::int[])
          as v(id, updated_at, next, category, until, seen)
        where i.company_id = ${companyId} and i.id = v.id and i.updated_at = v.updated_at`.execute(db);
  }
}

/**
 * After a reminder is recorded, in its transaction: each invoice given its next step (`next`, as the run worked it
 * out) gets it, once; the others have their next step and category cleared, to be computed again when next needed.
 */
export async function storeOrClearNextActions(
  db: Db,
  companyId: string,
  invoices: { invoiceId: string; next?: NextActionRow }[],
): Promise<void> {
  const known: NextActionRow[] = [];
  const unknown: string[] = [];
  for (const invoice of invoices) {
    if (invoice.next) known.push(invoice.next);
    else unknown.push(invoice.invoiceId);
  }
  await writeNextActions(db, companyId, known);
  await clearNextActions(db, companyId, unknown);
}

/**
 * Clears these invoices' next step and "Relances" category (their reminders changed: recorded, sent, cancelled), to
 * be computed again when next needed. One statement however many: `inIds` binds the ids as one parameter.
 */
export async function clearNextActions(db: Db, companyId: string, invoiceIds: readonly string[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  await db
    .updateTable('invoices')
    .set({ next_action_date: null, dunning_category: null, category_until: null })
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', invoiceIds))
    // An invoice with nothing to clear is not written again (a run that recorded its reminder without a next step
    // cleared it then): no page dirtied on SQLite, no dead row version on PostgreSQL.
    .where((eb) =>
      eb.or([
        eb('next_action_date', 'is not', null),
        eb('dunning_category', 'is not', null),
        eb('category_until', 'is not', null),
      ]),
    )
    .execute();
}

import type { Kysely } from 'kysely';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import { nextActionDate } from '../domain/dunning/engine.ts';
import { writeNextActions, type NextActionRow } from '../storage/next-actions.ts';
import type { Database } from '../storage/schema.ts';
import { categoryEntry, levelSeen } from './categories.ts';
import type { LoadedInput } from './load-inputs.ts';

/** Stored for invoices on which nothing will happen until the ledger or the customer changes. */
export const NEVER = '9999-12-31';

/** When the invoice next needs attention as `input` stands, with its "Relances" category when asked for. */
function nextActionOf(input: LoadedInput, date: IsoDate, withCategories: boolean): NextActionRow {
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
 * What `nextActionOf` gives once the reminder at `level` is recorded (pending, as its message has not left yet):
 * written with the reminder itself, so that a recorded invoice is updated once rather than cleared, then dated.
 */
export function nextActionAfter(input: LoadedInput, level: number, date: IsoDate, withCategories: boolean) {
  return nextActionOf(
    { ...input, reminders: [...input.reminders, { level, date, pending: true }] },
    date,
    withCategories,
  );
}

/**
 * Stores when each examined invoice next needs attention (one statement per invoice was most of a daily run that
 * records little), in one transaction; `done` are the invoices whose date was already written with their reminder.
 */
export async function storeNextActions(
  db: Kysely<Database>,
  companyId: string,
  inputs: LoadedInput[],
  date: IsoDate,
  withCategories: boolean,
  done: ReadonlySet<string> = new Set(),
): Promise<void> {
  const rows = inputs
    .filter((input) => !done.has(input.invoiceId))
    .map((input) => nextActionOf(input, date, withCategories));
  if (rows.length === 0) return;
  await db.transaction().execute((trx) => writeNextActions(trx, companyId, rows));
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { LEDGER_TABLES, refreshStatistics } from '../storage/statistics.ts';

const DRY_RUN = Symbol('dry run');

/**
 * Runs an import in one transaction, rolled back at the end when `dryRun`: the report tells exactly
 * what the import would do (the same reads, matches and checks), and nothing stays.
 */
export async function importTransaction<T>(
  db: Kysely<Database>,
  dryRun: boolean | undefined,
  work: (trx: Transaction<Database>) => Promise<T>,
  rowsWritten?: (value: T) => number,
): Promise<T> {
  let result: { value: T } | null = null;
  try {
    const value = await db.transaction().execute(async (trx) => {
      result = { value: await work(trx) };
      if (dryRun) throw DRY_RUN;
      return result.value;
    });
    // A large file (a FEC, a year of bank lines) changes the ledger's size as much as a CSV import does.
    await refreshStatistics(db, [...LEDGER_TABLES, 'bank_lines'], rowsWritten?.(value) ?? 0);
    return value;
  } catch (error) {
    if (error === DRY_RUN && result) return (result as { value: T }).value;
    throw error;
  }
}

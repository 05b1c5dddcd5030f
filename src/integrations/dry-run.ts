import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';

const DRY_RUN = Symbol('dry run');

/**
 * Runs an import in one transaction, rolled back at the end when `dryRun`: the report tells exactly
 * what the import would do (the same reads, matches and checks), and nothing stays.
 */
export async function importTransaction<T>(db: Kysely<Database>, dryRun: boolean | undefined,
  work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  try {
    return await db.transaction().execute(async (trx) => {
      result = { value: await work(trx) };
      if (dryRun) throw DRY_RUN;
      return result.value;
    });
  } catch (error) {
    if (error === DRY_RUN && result) return (result as { value: T }).value;
    throw error;
  }
}

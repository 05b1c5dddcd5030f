import type { Kysely } from 'kysely';
import { gatherMissingStatistics } from '../storage/statistics.ts';
import type { Database } from '../storage/schema.ts';

/**
 * Before a server answers: statistics for the ledger's tables where they are missing. A ledger loaded without
 * them (by another tool, or an older version) would have its lists planned as scans of the whole table until
 * someone runs ANALYZE. Returns the tables analysed on PostgreSQL.
 */
export async function gatherStatistics(db: Kysely<Database>): Promise<string[]> {
  return gatherMissingStatistics(db);
}

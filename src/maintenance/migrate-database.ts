import type { Operator } from '../shared/actor.ts';
import { migrate, pendingMigrations, type Store } from '../storage/database.ts';
import { auditEveryCompany } from './audit-every-company.ts';

export type MigrationReport = {
  /** What this version had not applied yet, in the order it runs them. */
  pending: string[];
  /** What was applied (nothing on a dry run). */
  applied: string[];
};

/**
 * `relance migrate`: lists the migrations the database lacks and, unless `dryRun`, applies them, with a
 * `database.migrated` audit row in each company. The migrator commits each migration in its own transaction (it
 * takes a lock the rows cannot share), so the rows follow in one transaction of theirs once all are applied.
 */
export async function migrateDatabase(
  store: Store,
  operator: Operator,
  input: { dryRun?: boolean },
): Promise<MigrationReport> {
  const pending = await pendingMigrations(store.db, store.schema);
  if (pending.length === 0 || input.dryRun) return { pending, applied: [] };
  const applied = await migrate(store.db, store.schema);
  if (applied.length > 0) await auditEveryCompany(store.db, operator, 'database.migrated', { migrations: applied });
  return { pending, applied };
}

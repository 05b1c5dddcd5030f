import { resolve } from 'node:path';
import type { Operator } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { restoreDatabase, type RestoreReport } from '../storage/backup.ts';
import { openStore, type Store } from '../storage/database.ts';
import { auditEveryCompany } from './audit-every-company.ts';

/**
 * `relance restore`: puts a backup back as the database (and its secret key), then writes a `database.restored`
 * row in each company's log of the restored database, so its history says from when it was taken back. The
 * database is opened as it is, not migrated: the next command upgrades it as any other.
 */
export async function restoreBackup(
  target: string | undefined,
  operator: Operator,
  input: { archive: string; force?: boolean },
): Promise<RestoreReport> {
  const report = restoreDatabase(input.archive, target, { force: input.force });
  let store: Store;
  try {
    store = await openStore(report.db, { migrate: false });
  } catch (error) {
    // A backup of a newer relance is restored all the same (that version can open it); its log is not this
    // version's to write, and the next command says what to do.
    if (error instanceof AppError && error.messageKey === 'problem.database.newer') return report;
    throw error;
  }
  try {
    await auditEveryCompany(store.db, operator, 'database.restored', {
      archive: resolve(input.archive),
      key: report.key,
    });
  } finally {
    await store.close();
  }
  return report;
}

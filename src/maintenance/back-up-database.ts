import { backupDatabase, type BackupReport } from '../storage/backup.ts';

/**
 * `relance backup`: the SQLite database (copied safely while the server writes) and its secret key in one archive.
 * Nothing changes, so nothing is audited; the database is named rather than opened, as the copy reads the file.
 */
export async function backUpDatabase(target: string | undefined, input: { out: string }): Promise<BackupReport> {
  return backupDatabase(target, input.out);
}

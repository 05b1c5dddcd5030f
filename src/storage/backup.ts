import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../shared/errors.ts';
import { packArchive, unpackArchive, type ArchiveEntry } from './archive.ts';
import { isPostgresUrl, resolveDbTarget } from './database.ts';

/** Names inside a backup archive. */
const DB_ENTRY = 'relance.db';
const KEY_ENTRY = 'secret.key';
const MANIFEST = 'backup.json';

/** Where the secret key of a SQLite database lives (src/storage/secrets.ts), or null when it comes from the environment. */
export function secretKeyFileOf(dbFile: string): string | null {
  if (process.env.RELANCE_SECRET_KEY?.trim()) return null;
  return process.env.RELANCE_SECRET_KEY_FILE
    ? resolve(process.env.RELANCE_SECRET_KEY_FILE)
    : join(dirname(resolve(dbFile)), 'secret.key');
}

function sqliteTarget(target?: string): string {
  const resolved = resolveDbTarget(target);
  if (isPostgresUrl(resolved)) {
    throw new AppError(
      'usage',
      'On PostgreSQL, back up with pg_dump and keep RELANCE_SECRET_KEY (or data/secret.key) with the dump: ' +
        'see deploy/postgresql.md.',
      [],
      { key: 'problem.backup.postgres' },
    );
  }
  if (resolved === ':memory:')
    throw new AppError('usage', 'An in-memory database cannot be backed up.', [], { key: 'problem.backup.memory' });
  return resolve(resolved);
}

export type BackupReport = { out: string; bytes: number; key: 'included' | 'environment' | 'none' };

/**
 * Copies the database with SQLite's online backup (a consistent state while the server and runs keep
 * writing) and puts it in one archive with the secret key that opens its stored passwords.
 */
export async function backupDatabase(target: string | undefined, out: string): Promise<BackupReport> {
  const file = sqliteTarget(target);
  if (!existsSync(file))
    throw new AppError('not_found', `No database at ${file}.`, [], {
      key: 'problem.backup.noDatabase',
      params: { file },
    });
  const work = mkdtempSync(join(tmpdir(), 'relance-backup-'));
  try {
    const copy = join(work, DB_ENTRY);
    const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      source.pragma('busy_timeout = 10000');
      await source.backup(copy);
    } finally {
      source.close();
    }
    const keyFile = secretKeyFileOf(file);
    const entries: ArchiveEntry[] = [{ name: DB_ENTRY, content: readFileSync(copy) }];
    if (keyFile && existsSync(keyFile)) entries.push({ name: KEY_ENTRY, content: readFileSync(keyFile) });
    const key = keyFile === null ? 'environment' : entries.length > 1 ? 'included' : 'none';
    entries.unshift({
      name: MANIFEST,
      content: Buffer.from(JSON.stringify({ format: 1, source: file, at: new Date().toISOString(), key })),
    });
    const archive = packArchive(entries);
    const final = resolve(out);
    writeFileSync(`${final}.part`, archive, { mode: 0o600 });
    renameSync(`${final}.part`, final);
    return { out: final, bytes: archive.length, key };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** True when the SQLite file holds any company data (customers, invoices or users). */
function holdsData(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    return ['customers', 'invoices', 'users'].some(
      (t) => tables.has(t) && db.prepare(`select 1 from ${t} limit 1`).get() !== undefined,
    );
  } finally {
    db.close();
  }
}

export type RestoreReport = { db: string; key: 'restored' | 'environment' | 'none' };

/**
 * Puts a backup back as the database (and its secret key beside it). A database holding data is only
 * replaced with `force`; the server must be stopped meanwhile.
 */
export function restoreDatabase(
  archive: string,
  target: string | undefined,
  options: { force?: boolean } = {},
): RestoreReport {
  const file = sqliteTarget(target);
  const files = unpackArchive(readFileSync(archive));
  const database = files.get(DB_ENTRY);
  if (!database || database.subarray(0, 15).toString('latin1') !== 'SQLite format 3') {
    throw new AppError('invalid_input', `${archive} is not a relance backup (no ${DB_ENTRY} in it).`, [], {
      key: 'problem.backup.notBackup',
      params: { file: archive, entry: DB_ENTRY },
    });
  }
  if (!options.force && holdsData(file)) {
    throw new AppError(
      'conflict',
      `${file} already holds data: restoring would replace it. Stop the server and add --force to replace it.`,
      [],
      { key: 'problem.backup.holdsData', params: { file } },
    );
  }
  const keyFile = secretKeyFileOf(file);
  const key = files.get(KEY_ENTRY);
  if (key && keyFile && existsSync(keyFile) && !readFileSync(keyFile).equals(key) && !options.force) {
    throw new AppError(
      'conflict',
      `${keyFile} holds another secret key; add --force to replace it with the backup's.`,
      [],
      { key: 'problem.backup.otherKey', params: { file: keyFile } },
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.restore`, database, { mode: 0o600 });
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  renameSync(`${file}.restore`, file);
  if (key && keyFile) writeFileSync(keyFile, key, { mode: 0o600 });
  return { db: file, key: !key ? 'none' : keyFile ? 'restored' : 'environment' };
}

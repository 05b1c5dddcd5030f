import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { importCsv } from '../../src/import/run-import.ts';
import { getMailSettings, saveMailSettings } from '../../src/mail/settings.ts';
import { backupDatabase, restoreDatabase } from '../../src/storage/backup.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { openStore } from '../../src/storage/database.ts';
import { systemActor } from '../../src/shared/actor.ts';

const dir = mkdtempSync(join(tmpdir(), 'relance-backup-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each table's row count and a checksum of its rows: two databases with equal states agree. */
function tableStates(file: string): Record<string, { rows: number; sha256: string }> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    // A virtual table (the FTS5 search index) has no rows of its own: its shadow tables are compared instead.
    const tables = (
      db
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' " +
            "and sql not like 'create virtual table%' order by name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    return Object.fromEntries(
      tables.map((table) => {
        // Sorted as text rather than by rowid: the FTS5 shadow tables are WITHOUT ROWID.
        const rows = (db.prepare(`select * from "${table}"`).raw().all() as unknown[])
          .map((row) => JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
          .sort();
        const hash = createHash('sha256').update(rows.join('\n'));
        return [table, { rows: rows.length, sha256: hash.digest('hex') }];
      }),
    );
  } finally {
    db.close();
  }
}

function integrity(file: string): unknown[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return [db.pragma('integrity_check', { simple: true }), db.pragma('foreign_key_check')];
  } finally {
    db.close();
  }
}

describe('backup and restore of a SQLite database', { timeout: 240_000 }, () => {
  it('backs up while a run and an import write, and restores the committed state with its secret key', async () => {
    const live = join(dir, 'live.db');
    const store = await openStore(live);
    const company = await ensureDefaultCompany(store.db);
    await loadDemo(store.db, company.id, { customers: 40, invoices: 1200, seed: 7, asOf: '2026-06-30' });
    await saveMailSettings(store.db, company.id, { smtpUrl: 'smtp://compta:s3cret@mail.example.fr:587' });
    const rows = [
      'code,name,kind,email',
      ...Array.from({ length: 3000 }, (_, i) => `NEW${i},Nouveau client ${i},company,c${i}@client.fr`),
    ];

    // A run and an import write while the backup copies (three things under way at once).
    const during = join(dir, 'during.tar.gz');
    const [run, imported, backup] = await Promise.all([
      runDunning(store.db, company.id, { date: '2026-06-30' }),
      importCsv(store.db, systemActor(company.id), {
        kind: 'customers',
        fileName: 'c.csv',
        bytes: Buffer.from(rows.join('\n')),
      }),
      backupDatabase(live, during),
    ]);
    expect(run.reminders).toBeGreaterThan(0);
    expect(imported).toMatchObject({ created: 3000 });
    expect(backup.key).toBe('included');
    const restoredDuring = join(dir, 'restored-during', 'relance.db');
    restoreDatabase(during, restoredDuring);
    expect(integrity(restoredDuring)).toEqual(['ok', []]);

    // Once the writers are done, a backup restored elsewhere is the database, table by table.
    const after = join(dir, 'after.tar.gz');
    await backupDatabase(live, after);
    const expected = tableStates(live);
    await store.close();
    const restored = join(dir, 'restored', 'relance.db');
    expect(restoreDatabase(after, restored)).toMatchObject({ key: 'restored' });
    expect(tableStates(restored)).toEqual(expected);
    expect(Object.keys(expected)).toContain('reminders');
    expect(expected.reminders!.rows).toBeGreaterThan(0);

    // The restored secret key opens the stored SMTP password.
    const reopened = await openStore(restored);
    const settings = await getMailSettings(reopened.db, company.id);
    expect(settings.problem).toBeUndefined();
    expect(settings.smtpUrl).toBe('smtp://compta:s3cret@mail.example.fr:587');
    await reopened.close();

    // A database holding data is replaced only with --force.
    expect(() => restoreDatabase(after, restored)).toThrow(/already holds data/);
    expect(restoreDatabase(after, restored, { force: true }).db).toBe(restored);
    expect(existsSync(join(dir, 'restored', 'secret.key'))).toBe(true);
  });
});

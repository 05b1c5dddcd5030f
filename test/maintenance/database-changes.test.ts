import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDefaultCompany } from '../../src/accounts/default-company.ts';
import { backUpDatabase } from '../../src/maintenance/back-up-database.ts';
import { migrateDatabase } from '../../src/maintenance/migrate-database.ts';
import { restoreBackup } from '../../src/maintenance/restore-backup.ts';
import type { Operator } from '../../src/shared/actor.ts';
import { listAudit } from '../../src/storage/audit.ts';
import { openStore, type Db } from '../../src/storage/database.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { dialects, freshStore } from '../support/stores.ts';

const OPERATOR: Operator = { userId: null, name: 'command line' };
const dir = mkdtempSync(join(tmpdir(), 'relance-maintenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every company's audit rows, oldest first. */
async function auditRows(db: Db) {
  const companies = await db.selectFrom('companies').select('id').execute();
  const rows = await Promise.all(companies.map((c) => listAudit(db, c.id)));
  return rows
    .flat()
    .reverse()
    .map(({ userId, actor, action, target, details }) => ({ userId, actor, action, target, details }));
}

describe.each(dialects)('the default company on %s', (dialect) => {
  it('is made once, with one company.created row, however many first commands race', async () => {
    const store = await freshStore(dialect);
    try {
      const made = await Promise.all([1, 2, 3].map(() => openDefaultCompany(store.db, OPERATOR)));
      expect(new Set(made.map((c) => c.id)).size).toBe(1);
      const again = await openDefaultCompany(store.db, OPERATOR);
      expect(again).toEqual(made[0]);
      expect(await auditRows(store.db)).toEqual([
        { userId: null, actor: 'command line', action: 'company.created', target: again.id, details: null },
      ]);
    } finally {
      await store.dispose();
    }
  });
});

describe('migrating and restoring a SQLite database', { timeout: 60_000 }, () => {
  it('audits an applied migration in each company, and nothing on a dry run or when up to date', async () => {
    const file = join(dir, 'old.db');
    // A database of an older version: the first migrations, and two companies made then.
    const old = await openStore(file, { migrate: false });
    const migrator = new Migrator({ db: old.db, provider: migrationProvider, allowUnorderedMigrations: true });
    expect((await migrator.migrateTo('0006-accounts')).error).toBeUndefined();
    for (const [id, name, isDefault] of [
      ['00000000-0000-7000-8000-000000000001', 'Alpha', 1],
      ['00000000-0000-7000-8000-000000000002', 'Beta', 0],
    ] as const)
      await sql`insert into companies (id, legal_name, is_default, created_at)
                values (${id}, ${name}, ${isDefault}, '2024-01-01T00:00:00.000Z')`.execute(old.db);

    const dry = await migrateDatabase(old, OPERATOR, { dryRun: true });
    expect(dry.pending.length).toBeGreaterThan(10);
    expect(dry.applied).toEqual([]);
    expect(await auditRows(old.db)).toEqual([]);

    const done = await migrateDatabase(old, OPERATOR, {});
    expect(done.applied).toEqual(dry.pending);
    const row = { userId: null, actor: 'command line', action: 'database.migrated', target: null };
    expect(await auditRows(old.db)).toEqual([
      { ...row, details: { migrations: done.applied } },
      { ...row, details: { migrations: done.applied } },
    ]);
    expect(await migrateDatabase(old, OPERATOR, {})).toEqual({ pending: [], applied: [] });
    expect(await auditRows(old.db)).toHaveLength(2);
    await old.close();
  });

  it('restores a backup with a database.restored row in its log, leaving the backed-up database as it was', async () => {
    const live = join(dir, 'live.db');
    const store = await openStore(live);
    const company = await openDefaultCompany(store.db, OPERATOR);
    await store.close();
    const archive = join(dir, 'live.tar.gz');
    await backUpDatabase(live, { out: archive });

    const target = join(dir, 'restored', 'relance.db');
    expect(await restoreBackup(target, OPERATOR, { archive })).toMatchObject({ db: target, key: 'none' });
    const restored = await openStore(target);
    const original = await openStore(live);
    try {
      const created = { userId: null, actor: 'command line', action: 'company.created', target: company.id };
      expect(await auditRows(restored.db)).toEqual([
        { ...created, details: null },
        {
          userId: null,
          actor: 'command line',
          action: 'database.restored',
          target: null,
          details: { archive, key: 'none' },
        },
      ]);
      expect(await auditRows(original.db)).toEqual([{ ...created, details: null }]);
    } finally {
      await restored.close();
      await original.close();
    }
  });
});

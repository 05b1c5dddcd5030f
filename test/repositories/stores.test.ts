import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCompany, listCompanies } from '../../src/storage/companies.ts';
import { openStore } from '../../src/storage/database.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';

describe.each(dialects)('stores on %s', (dialect) => {
  // On PostgreSQL each store is a schema of the same database: migrating a new one must not be fooled
  // by the migration tables another schema already holds.
  it('a second fresh store migrates while a first one is open, and they share nothing', async () => {
    const opened: TestStore[] = [];
    try {
      opened.push(await freshStore(dialect));
      opened.push(await freshStore(dialect));
      const [first, second] = opened as [TestStore, TestStore];
      await createCompany(first.db, { legalName: 'Dans le premier' });
      expect(await listCompanies(second.db)).toEqual([]);
      expect((await listCompanies(first.db)).map((c) => c.legalName)).toEqual(['Dans le premier']);
    } finally {
      for (const store of opened) await store.dispose();
    }
  });
});

describe('an in-memory SQLite store', () => {
  it('keeps its data in memory and leaves no file named :memory: behind', async () => {
    const store = await openStore(':memory:');
    try {
      expect(store.location).toBe(':memory:');
      await createCompany(store.db, { legalName: 'En mémoire' });
      expect((await listCompanies(store.db)).map((c) => c.legalName)).toEqual(['En mémoire']);
      expect(existsSync(':memory:')).toBe(false);
    } finally {
      await store.close();
    }
  });
});

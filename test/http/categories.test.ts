import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn, type IsoDate } from '../../src/domain/calendar.ts';
import { buildPlan } from '../../src/domain/dunning/engine.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { categoryOf, refreshCategories } from '../../src/dunning/categories.ts';
import { loadDunningInputs } from '../../src/dunning/load-inputs.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { LETTER_IDENTITY } from '../repositories/helpers.ts';
import { setDispute } from '../../src/storage/invoices.ts';
import { freshStore, dialects, type TestStore } from '../support/stores.ts';
import { addUser, issueApiToken } from '../../src/accounts/auth.ts';
import { buildApp } from '../../src/http/app.ts';

// Letter batches of the runs go to a temporary folder (a PostgreSQL store has no file to sit beside).
const lettersDir = mkdtempSync(join(tmpdir(), 'relance-categories-letters-'));

/** Every open invoice's category according to a full plan of the ledger: the truth the cache must match. */
async function planned(store: TestStore, companyId: string, date: IsoDate): Promise<Map<string, string>> {
  const plan = buildPlan(await loadDunningInputs(store.db, companyId), date);
  return new Map(plan.items.map((i) => [i.invoice, categoryOf(i)]).filter((e): e is [string, string] => e[1] !== null));
}

/** What the cache says on `date`: only rows it may trust that day. */
async function cached(store: TestStore, companyId: string, date: IsoDate): Promise<Map<string, string>> {
  const rows = await store.db
    .selectFrom('invoices')
    .select(['number', 'dunning_category'])
    .where('company_id', '=', companyId)
    .where('dunning_category', '>', '')
    .where('next_action_date', 'is not', null)
    .where('category_until', '>', date)
    .where('status', '=', 'issued')
    .whereRef('allocated', '<', 'total')
    .execute();
  return new Map(rows.map((r) => [r.number, r.dunning_category!]));
}

describe.each(dialects)('the "Relances" categories cached per invoice on %s', (dialect) => {
  let store: TestStore;
  let companyId: string;
  const today = todayIn('Europe/Paris');
  beforeAll(async () => {
    store = await freshStore(dialect);
    companyId = (await createCompany(store.db, { legalName: 'Démo', ...LETTER_IDENTITY })).id;
    await loadDemo(store.db, companyId, { customers: 40, invoices: 600, seed: 7, asOf: addDays(today, -60) });
  });
  afterAll(async () => store.dispose());

  it('match a full plan day after day, across payments, disputes and runs, planning only what changed', async () => {
    const days = [-60, -45, -44, -30, -10, -3, 0].map((d) => addDays(today, d));
    const invoices = await store.db
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'total', 'allocated'])
      .where('company_id', '=', companyId)
      .where('status', '=', 'issued')
      .whereRef('allocated', '<', 'total')
      .orderBy('number')
      .execute();
    const replanned: number[] = [];
    for (const [index, day] of days.entries()) {
      replanned.push(await refreshCategories(store.db, companyId, day));
      const truth = await planned(store, companyId, day);
      expect(await cached(store, companyId, day), `categories on ${day}`).toEqual(truth);
      expect(truth.size, `some invoices are in a category on ${day}`).toBeGreaterThan(0);
      // Changes between days: a run, a payment that settles one invoice, a dispute on another.
      if (index % 2 === 0) await runDunning(store.db, companyId, { date: day, dataDir: lettersDir });
      const paid = invoices[index * 3]!;
      await insertPayment(store.db, companyId, {
        customerId: paid.customer_id,
        date: day,
        currency: 'EUR',
        amount: paid.total - paid.allocated,
        method: 'transfer',
        reference: `P${index}`,
        allocations: [{ invoiceId: paid.id, amount: paid.total - paid.allocated }],
      });
      await setDispute(store.db, companyId, invoices[index * 3 + 1]!.number, 'Contesté');
    }
    // The first refresh plans every open invoice; later ones only those changed, reminded or whose category expired.
    expect(replanned[0]).toBe(invoices.length);
    expect(Math.max(...replanned.slice(1))).toBeLessThan(invoices.length);
    // After the last changes only the disputed invoice is planned again; a second look the same day plans nothing.
    expect(await refreshCategories(store.db, companyId, today)).toBe(1);
    expect(await refreshCategories(store.db, companyId, today)).toBe(0);
    expect(await cached(store, companyId, today)).toEqual(await planned(store, companyId, today));
  });

  it("serves today's categories, list and totals from the cache, the same as a plan", async () => {
    const { user } = await addUser(store.db, companyId, {
      email: 'cat@example.test',
      role: 'viewer',
      password: 'category password',
    });
    const { token } = await issueApiToken(store.db, companyId, { userId: user.id, name: 't' });
    const app = await buildApp({ db: store.db, dataDir: `${store.location}-data` });
    try {
      const get = async (url: string) =>
        JSON.parse((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).body);
      const truth = await planned(store, companyId, today);
      const categories = await get('/api/v1/invoices/categories');
      expect(categories.date).toBe(today);
      const expected = new Map<string, number>();
      for (const key of truth.values()) expected.set(key, (expected.get(key) ?? 0) + 1);
      expect(new Map(categories.categories.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual(
        expected,
      );
      const [key, count] = [...expected.entries()].sort((a, b) => b[1] - a[1])[0]!;
      const numbers: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(`/api/v1/invoices?category=${key}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        numbers.push(...page.items.map((i: { number: string }) => i.number));
        cursor = page.nextCursor;
      } while (cursor);
      expect(numbers).toEqual(
        [...truth.entries()]
          .filter(([, k]) => k === key)
          .map(([n]) => n)
          .sort(),
      );
      const totals = await get(`/api/v1/invoices/totals?category=${key}`);
      expect(totals.totals.reduce((n: number, t: { count: number }) => n + t.count, 0)).toBe(count);
    } finally {
      await app.close();
    }
  });
});

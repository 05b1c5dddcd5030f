import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { planJson } from '../../src/dunning/plan-json.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { planDunning, runDunning, type PlanWithCharges } from '../../src/dunning/run-dunning.ts';
import { splitPlan, startPlanThread } from '../../src/dunning/split-plan.ts';
import { decodePart, encodePart } from '../../src/dunning/plan-transfer.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { writePolicy, setCustomerDunning } from '../../src/storage/dunning.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { dialects, freshStore } from '../support/stores.ts';

/** What a user sees of a plan (the API's and the CLI's JSON), and its charges whatever their order. */
function seen(plan: PlanWithCharges) {
  // The rates to enter are asked by planDunning, not by the split itself: left out of the comparison.
  const bare = { ...plan, missingRates: undefined };
  return {
    json: JSON.stringify(planJson(bare)),
    plan: JSON.stringify({ ...bare, charges: undefined }),
    charges: [...plan.charges].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  };
}

// A split plan (two threads, each deciding the invoices of a rowid range) must be the plan made in one thread.
describe('a plan made in two threads', () => {
  let dir: string;
  let store: Store;
  let companyId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-split-'));
    store = await openStore(join(dir, 'split.db'));
    companyId = (await createCompany(store.db, { legalName: 'Relance SA' })).id;
    await loadDemo(store.db, companyId, { customers: 300, invoices: 3_000, seed: 5, asOf: '2026-06-30' });
    // Two policies, one grouping per invoice, a paused customer: the parts must map each item to its policy.
    await writePolicy(store.db, companyId, {
      name: 'short',
      makeDefault: false,
      definition: {
        name: 'short',
        minBalance: '0.01',
        minDaysBetween: 3,
        grouping: 'invoice',
        steps: [
          { label: 'Soon', delayDays: -5, from: 'dueDate', channels: ['email'] },
          {
            label: 'Late',
            delayDays: 10,
            from: 'dueDate',
            channels: ['email', 'letter'],
            formalNotice: true,
            charges: true,
          },
        ],
      },
    });
    const codes = (
      await store.db
        .selectFrom('customers')
        .select('code')
        .where('company_id', '=', companyId)
        .orderBy('code')
        .execute()
    ).map((c) => c.code);
    for (const code of codes.filter((_, k) => k % 3 === 0))
      await setCustomerDunning(store.db, companyId, code, { policyName: 'short' });
    await setCustomerDunning(store.db, companyId, codes[1]!, { pausedUntil: '2026-08-01' });
    // A history of reminders, so that levels, gaps and formal notices differ between invoices.
    await runDunning(store.db, companyId, { date: '2026-06-30', kind: 'manual', dataDir: dir });
    // As `relance serve` does at start: only a process that lives on is given the plan thread.
    await startPlanThread();
  }, 120_000);

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['2026-06-30', '2026-01-01', '2026-07-15', '2026-12-31'])('gives the one-thread plan on %s', async (date) => {
    const whole = await planDunning(store.db, companyId, { date });
    expect(whole.items.length).toBeGreaterThan(100);
    const split = await splitPlan(store.db, companyId, { date }, { minOpen: 0 });
    expect(split).not.toBeNull();
    expect(seen(split!)).toEqual(seen(whole));
  });

  it('gives the one-thread plan grouped per invoice', async () => {
    const options = { date: '2026-07-15', grouping: 'invoice' as const };
    expect(seen((await splitPlan(store.db, companyId, options, { minOpen: 0 }))!)).toEqual(
      seen(await planDunning(store.db, companyId, options)),
    );
  });

  it('makes the other part itself when the thread fails', async () => {
    const failing = () => new Worker('throw new Error("no plan here")', { eval: true });
    const split = await splitPlan(store.db, companyId, { date: '2026-07-15' }, { minOpen: 0, worker: failing });
    expect(seen(split!)).toEqual(seen(await planDunning(store.db, companyId, { date: '2026-07-15' })));
  });

  it('plans in one thread a small ledger, one customer, a few invoices or in a transaction', async () => {
    expect(await splitPlan(store.db, companyId, { date: '2026-07-15' })).toBeNull();
    const code = (
      await store.db
        .selectFrom('customers')
        .select('code')
        .where('company_id', '=', companyId)
        .executeTakeFirstOrThrow()
    ).code;
    expect(await splitPlan(store.db, companyId, { date: '2026-07-15', customerCode: code }, { minOpen: 0 })).toBeNull();
    expect(
      await splitPlan(store.db, companyId, { date: '2026-07-15', invoiceNumbers: ['X'] }, { minOpen: 0 }),
    ).toBeNull();
    // What a transaction wrote is not seen by the worker's connection.
    await store.db.transaction().execute(async (trx) => {
      expect(await splitPlan(trx, companyId, { date: '2026-07-15' }, { minOpen: 0 })).toBeNull();
    });
  });

  it('plans in one thread in a process that did not ask for the thread, in two once it did', async () => {
    vi.resetModules();
    const fresh = await import('../../src/dunning/split-plan.ts');
    // A one-off command: no thread is started for it, the first plan or the next.
    expect(await fresh.splitPlan(store.db, companyId, { date: '2026-07-15' }, { minOpen: 0 })).toBeNull();
    expect(await fresh.splitPlan(store.db, companyId, { date: '2026-07-15' }, { minOpen: 0 })).toBeNull();
    // A server asks for it at start, and is not held up while it loads.
    void fresh.startPlanThread();
    // Plans one after the other take no turn of the event loop between them: the thread's readiness must be
    // seen without its message. Waiting here without one stands for the first plan's work.
    const deadline = Date.now() + 20_000;
    let split = null;
    while (split === null && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      split = await fresh.splitPlan(store.db, companyId, { date: '2026-07-15' }, { minOpen: 0 });
    }
    expect(seen(split!)).toEqual(seen(await planDunning(store.db, companyId, { date: '2026-07-15' })));
  });

  it('sends a part between threads without changing an item or a charge', async () => {
    const plan = await planDunning(store.db, companyId, { date: '2026-07-15' });
    const decoded = decodePart(
      encodePart(
        plan.items,
        plan.items.map(() => null),
        plan.charges,
      ),
    );
    expect(JSON.stringify(decoded.planned)).toBe(JSON.stringify(plan.items));
    expect(decoded.planned).toEqual(plan.items);
    expect(decoded.charges).toEqual(
      [...plan.charges].sort(
        (a, b) => plan.items.findIndex((i) => i.invoice === a[0]) - plan.items.findIndex((i) => i.invoice === b[0]),
      ),
    );
  });
});

describe.each(dialects.filter((d) => d === 'postgres'))('a plan on %s', (dialect) => {
  it('is made in one thread (the server has its own cores)', async () => {
    const store = await freshStore(dialect);
    try {
      const company = await createCompany(store.db, { legalName: 'Relance SA' });
      expect(await splitPlan(store.db, company.id, { date: '2026-07-15' }, { minOpen: 0 })).toBeNull();
    } finally {
      await store.dispose();
    }
  });
});

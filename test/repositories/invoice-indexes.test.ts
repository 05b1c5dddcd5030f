import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

// The invoice searches of the planner, the "Relances" categories and the listing, as they filter today:
// each must reach invoices through an index, never by reading the whole table (migration 0011 removed
// two indexes that none of them needed).
const OPEN = `i.status = 'issued' and i.allocated < i.total`;
const CATEGORY = `i.dunning_category = 'level-1' and i.next_action_date is not null and i.category_until > '2026-11-25'`;
const SEARCHES: Record<string, string> = {
  'planner, invoices due for a step': `select i.id from invoices as i where i.company_id = $c and ${OPEN}
    and (i.next_action_date is null or i.next_action_date <= '2026-11-25')`,
  'stale categories, never planned': `select i.number from invoices as i where i.company_id = $c and ${OPEN} and i.next_action_date is null`,
  'stale categories, expired': `select i.number from invoices as i where i.company_id = $c and ${OPEN} and i.category_until <= '2026-11-25'`,
  'category counts': `select i.dunning_category, count(*) from invoices as i where i.company_id = $c and i.dunning_category > ''
    and i.next_action_date is not null and i.category_until > '2026-11-25' and ${OPEN} group by i.dunning_category, i.currency`,
  'one category, by number': `select i.* from invoices as i where i.company_id = $c and ${CATEGORY} order by i.number limit 50`,
  'one category, next page': `select i.* from invoices as i where i.company_id = $c and ${CATEGORY} and i.number > 'F-1'
    order by i.number limit 50`,
  // The list's other sort keys, read backwards for the descending order, the balance through its expression index.
  'list by issue date, descending, next page': `select i.number from invoices as i where i.company_id = $c
    and (i.issue_date < '2026-01-01' or (i.issue_date = '2026-01-01' and i.number < 'F-9'))
    order by i.issue_date desc, i.number desc limit 50`,
  'list by amount': `select i.number from invoices as i where i.company_id = $c order by i.total, i.number limit 50`,
  'list by balance, descending': `select i.number from invoices as i where i.company_id = $c
    order by (i.total - i.allocated) desc, i.number desc limit 50`,
};

let store: TestStore;
let companyId: string;

beforeEach(async () => {
  store = await freshStore('sqlite');
  companyId = (await ensureDefaultCompany(store.db)).id;
});
afterEach(async () => {
  await store.dispose();
});

describe('invoice indexes (SQLite)', () => {
  it.each(Object.entries(SEARCHES))('%s reads invoices through an index', async (name, text) => {
    const plan = await rawQuery<{ detail: string }>(
      store.db,
      `explain query plan ${text.replaceAll('$c', `'${companyId}'`)}`,
    );
    const onInvoices = plan.map((p) => p.detail).filter((d) => / i( |$)/.test(d));
    expect(onInvoices.length).toBeGreaterThan(0);
    for (const step of onInvoices) expect(step).toMatch(/^SEARCH i USING (COVERING )?INDEX invoices_/);
    // A sorted page walks its index in order: no sorting of the company's invoices to find the first 50.
    if (name.startsWith('list by')) expect(plan.map((p) => p.detail).join(' | ')).not.toContain('TEMP B-TREE');
  });

  it('has no next-action index of its own, and a category index of categorised invoices only', async () => {
    const indexes = await rawQuery<{ name: string; sql: string }>(
      store.db,
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'invoices' and sql is not null",
    );
    const names = indexes.map((i) => i.name);
    expect(names).not.toContain('invoices_next_action_ix');
    expect(indexes.find((i) => i.name === 'invoices_category_ix')?.sql).toMatch(/where dunning_category is not null/i);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { invoiceInput } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

type Row = { number: string; issueDate: string; dueDate: string; total: number; balance: number };

describe.each(dialects)('invoice list sorted by any key, both ways, across keyset pages on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(dialect);
    const { company, marie } = f.alpha;
    // Equal keys on purpose: the number breaks the ties, so pages neither repeat nor skip a row.
    for (let i = 0; i < 9; i++) {
      const invoice = await createInvoice(
        f.store.db,
        company.id,
        marie.id,
        invoiceInput(`S-${i}`, {
          issueDate: `2025-0${1 + (i % 3)}-10`,
          dueDate: `2025-0${4 + (i % 4)}-10`,
          total: 10_000 + (i % 3) * 5_000,
          totalExclTax: 8_000,
        }),
      );
      if (i % 2 === 0)
        await insertPayment(f.store.db, company.id, {
          customerId: marie.id,
          date: '2025-02-01',
          currency: 'EUR',
          amount: 1_000 * (i + 1),
          method: 'transfer',
          reference: null,
          allocations: [{ invoiceId: invoice.id, amount: 1_000 * (i + 1) }],
        });
    }
  });
  afterAll(async () => f.dispose());

  async function all(query: string, narrow = '&q=S-'): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const reply = await call(
        f.app,
        f.tokens.admin,
        'GET',
        `/api/v1/invoices?limit=2${narrow}&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.status, reply.raw).toBe(200);
      rows.push(...reply.body.items);
      cursor = reply.body.nextCursor;
    } while (cursor);
    return rows;
  }

  const key = { issueDate: 'issueDate', dueDate: 'dueDate', total: 'total', balance: 'balance' } as const;
  for (const sort of Object.keys(key) as (keyof typeof key)[]) {
    for (const order of ['asc', 'desc'] as const) {
      it(`sorts by ${sort} ${order}, within a search and over the whole company`, async () => {
        expect(await all(`sort=${sort}&order=${order}`)).toHaveLength(9);
        // Without a search the company's index on (company_id, key, number) serves the order.
        const rows = await all(`sort=${sort}&order=${order}`, '');
        expect(rows).toHaveLength(12);
        const expected = [...rows].sort((a, b) => {
          const x = a[key[sort]];
          const y = b[key[sort]];
          const c = x < y ? -1 : x > y ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
          return order === 'asc' ? c : -c;
        });
        expect(rows.map((r) => r.number)).toEqual(expected.map((r) => r.number));
      });
    }
  }

  it('sorts by number backwards, and refuses a sort it does not know', async () => {
    expect((await all('order=desc')).map((r) => r.number)).toEqual([
      'S-8',
      'S-7',
      'S-6',
      'S-5',
      'S-4',
      'S-3',
      'S-2',
      'S-1',
      'S-0',
    ]);
    expect((await call(f.app, f.tokens.admin, 'GET', '/api/v1/invoices?sort=title')).status).toBe(422);
  });
});

import { describe, expect, it } from 'vitest';
import { agedBalance, type AgedBalance } from '../../src/reports/aging.ts';
import { agingBuckets, parseBounds } from '../../src/reports/buckets.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';
import { seedAgingLedger } from './ledger.ts';

/** Each row as [code, currency, [count, balance] per bucket…] to compare with the hand-computed figures. */
const shape = (report: AgedBalance) =>
  report.rows.map((r) => [r.customerCode, r.currency, r.buckets.map((b) => [b.count, b.balance]), r.count, r.balance]);

describe.each(dialects)('aged balance on %s', (dialect) => {
  const store = useStore(dialect);

  it('splits what was owed on 2025-06-30 by days overdue, ignoring payments and credit notes dated after it', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    const report = await agedBalance(db, company.id, { date: '2025-06-30' });
    expect(report.buckets.map((b) => b.key)).toEqual(['notDue', '1-30', '31-60', '61-90', '91+']);
    // A: F1 day 0 (not due), F2 day 30 less a partial payment, F3 day 31 less a credit note, F4 day 60, F5 day 61 paid only
    // on 07-05. B: G1 day 90 less the payment of 06-30 (not the one of 07-01), G2 day 91 (its credit note is of 07-10);
    // G3 issued after the date, G4 paid before it, G5 cancelled. Sorted by amount, largest first.
    expect(shape(report)).toEqual([
      [
        'A',
        'EUR',
        [
          [1, 100_000],
          [1, 150_000],
          [2, 600_000],
          [1, 500_000],
          [0, 0],
        ],
        5,
        1_350_000,
      ],
      [
        'B',
        'EUR',
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [1, 500_000],
          [1, 700_000],
        ],
        2,
        1_200_000,
      ],
      [
        'C',
        'USD',
        [
          [0, 0],
          [1, 50_000],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        1,
        50_000,
      ],
    ]);
    expect(report.totals).toEqual([
      {
        currency: 'EUR',
        count: 7,
        balance: 2_550_000,
        buckets: [
          { count: 1, balance: 100_000 },
          { count: 1, balance: 150_000 },
          { count: 2, balance: 600_000 },
          { count: 2, balance: 1_000_000 },
          { count: 1, balance: 700_000 },
        ],
      },
      {
        currency: 'USD',
        count: 1,
        balance: 50_000,
        buckets: [
          { count: 0, balance: 0 },
          { count: 1, balance: 50_000 },
          { count: 0, balance: 0 },
          { count: 0, balance: 0 },
          { count: 0, balance: 0 },
        ],
      },
    ]);
    expect(report.rows[0]).toMatchObject({ customerName: 'Boulangerie Alpha', salesRep: 'Claire' });
  });

  it('counts every allocation up to a later date, and the invoice issued in between', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    const report = await agedBalance(db, company.id, { date: '2025-07-31' });
    // F1 31 days, F2 61, F3 62, F4 91, F5 settled; G1 600 000 − 300 000 and G2 700 000 − 100 000 over 91 days, G3 due that day.
    expect(shape(report)).toEqual([
      [
        'B',
        'EUR',
        [
          [1, 80_000],
          [0, 0],
          [0, 0],
          [0, 0],
          [2, 900_000],
        ],
        3,
        980_000,
      ],
      [
        'A',
        'EUR',
        [
          [0, 0],
          [0, 0],
          [1, 100_000],
          [2, 350_000],
          [1, 400_000],
        ],
        4,
        850_000,
      ],
      [
        'C',
        'USD',
        [
          [0, 0],
          [0, 0],
          [1, 50_000],
          [0, 0],
          [0, 0],
        ],
        1,
        50_000,
      ],
    ]);
  });

  it("knows nothing before the first invoice and uses buckets of the caller's choice", async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    expect((await agedBalance(db, company.id, { date: '2024-12-31' })).rows).toEqual([]);
    const report = await agedBalance(db, company.id, { date: '2025-06-30', bounds: [45] });
    expect(report.buckets.map((b) => b.key)).toEqual(['notDue', '1-45', '46+']);
    expect(shape(report).slice(0, 2)).toEqual([
      [
        'A',
        'EUR',
        [
          [1, 100_000],
          [2, 350_000],
          [2, 900_000],
        ],
        5,
        1_350_000,
      ],
      [
        'B',
        'EUR',
        [
          [0, 0],
          [0, 0],
          [2, 1_200_000],
        ],
        2,
        1_200_000,
      ],
    ]);
  });

  it("filters by the invoice's représentant, by the customer's, and by customer", async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    const julien = await agedBalance(db, company.id, { date: '2025-06-30', salesRep: 'Julien' });
    expect(shape(julien)).toEqual([
      [
        'B',
        'EUR',
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [1, 500_000],
          [1, 700_000],
        ],
        2,
        1_200_000,
      ],
      [
        'A',
        'EUR',
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [1, 500_000],
          [0, 0],
        ],
        1,
        500_000,
      ],
    ]);
    const claireCustomers = await agedBalance(db, company.id, { date: '2025-06-30', customerSalesRep: 'Claire' });
    expect(claireCustomers.rows.map((r) => [r.customerCode, r.balance])).toEqual([
      ['A', 1_350_000],
      ['C', 50_000],
    ]);
    const onlyB = await agedBalance(db, company.id, { date: '2025-07-31', customerCode: 'B' });
    expect(onlyB.rows.map((r) => r.customerCode)).toEqual(['B']);
    expect(onlyB.totals).toHaveLength(1);
  });
});

describe('aging buckets', () => {
  it('parses bounds and refuses what is not increasing whole days', () => {
    expect(parseBounds('30,60,90')).toEqual([30, 60, 90]);
    expect(agingBuckets([15, 45]).map((b) => [b.fromDays, b.toDays])).toEqual([
      [null, 0],
      [1, 15],
      [16, 45],
      [46, null],
    ]);
    expect(() => parseBounds('60,30')).toThrow(/increase/);
    expect(() => parseBounds('30,abc')).toThrow(/whole numbers/);
    expect(() => parseBounds('0')).toThrow(/between 1/);
  });
});

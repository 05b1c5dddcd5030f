import { describe, expect, it } from 'vitest';
import { collectionKpis, countBackDso } from '../../src/reports/kpis.ts';
import { remindersRegister } from '../../src/reports/register.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';
import { seedAgingLedger, seedReminders } from './ledger.ts';

describe.each(dialects)('reminders register and collection KPIs on %s', (dialect) => {
  const store = useStore(dialect);

  it('lists each reminded invoice with the date of each level, its balance and lateness on the date', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    await seedReminders(db, company.id);
    const june = await remindersRegister(db, company.id, { date: '2025-06-30' });
    expect(june.levels).toEqual([
      { level: 1, label: '1ère relance' },
      { level: 2, label: '2ème relance' },
    ]);
    // G2's reminder of 07-20 is not sent yet; F5's payment of 07-05 is not received yet.
    expect(
      june.rows.map((r) => [
        r.customerCode,
        r.number,
        r.total,
        r.balance,
        r.dueDate,
        r.daysOverdue,
        r.reminders.map((x) => `${x.level}:${x.sentOn}`),
      ]),
    ).toEqual([
      ['A', 'F2', 200_000, 150_000, '2025-05-31', 30, ['1:2025-06-05', '2:2025-06-20']],
      ['A', 'F5', 500_000, 500_000, '2025-04-30', 61, ['1:2025-06-25']],
      ['B', 'G1', 600_000, 500_000, '2025-04-01', 90, ['1:2025-06-10']],
    ]);
    const july = await remindersRegister(db, company.id, { date: '2025-07-31' });
    expect(july.rows.map((r) => [r.number, r.balance, r.daysOverdue])).toEqual([
      ['F2', 150_000, 61],
      ['F5', 0, 92],
      ['G1', 300_000, 121],
      ['G2', 600_000, 122],
    ]);
    const sentInJuly = await remindersRegister(db, company.id, {
      date: '2025-07-31',
      from: '2025-07-01',
      customerCode: 'B',
    });
    expect(sentInJuly.rows.map((r) => r.number)).toEqual(['G2']);
    expect(
      (await remindersRegister(db, company.id, { date: '2025-07-31', customerSalesRep: 'Claire' })).rows.map(
        (r) => r.number,
      ),
    ).toEqual(['F2', 'F5']);
  });

  it('computes the DSO by count-back, the overdue trend by month and the effectiveness of each level', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    await seedReminders(db, company.id);
    const kpis = await collectionKpis(db, company.id, { date: '2025-07-31', months: 3 });
    expect(kpis.currency).toBe('EUR');
    // Receivables 1 830 000: July's sales (G3, 80 000) are covered, June to February have none, and January's
    // 2 890 000 cover the 1 750 000 left for 1 750 000 / 2 890 000 of its 31 days.
    expect(kpis.dso.receivables).toBe(1_830_000);
    expect(kpis.dso.days).toBe(199.8);
    expect(kpis.dso.periods.map((p) => [p.to, p.sales, p.counted])).toEqual([
      ['2025-07-31', 80_000, 31],
      ['2025-06-30', 0, 30],
      ['2025-05-31', 0, 31],
      ['2025-04-30', 0, 30],
      ['2025-03-31', 0, 31],
      ['2025-02-28', 0, 28],
      ['2025-01-31', 2_890_000, 18.8],
    ]);
    expect(kpis.dso.exhausted).toBe(false);
    expect(kpis.overdueTrend).toEqual([
      { month: '2025-05', asOf: '2025-05-31', count: 5, balance: 2_500_000 },
      { month: '2025-06', asOf: '2025-06-30', count: 6, balance: 2_450_000 },
      { month: '2025-07', asOf: '2025-07-31', count: 6, balance: 1_750_000 },
    ]);
    // Claire's customers (A; C's invoice is in USD): F5 counts until its payment of 07-05, F2 from June with its
    // payment of 06-10 deducted, F3 less its credit note of 06-15, F1 once past its due date of 06-30.
    const claire = await collectionKpis(db, company.id, { date: '2025-07-31', months: 3, customerSalesRep: 'Claire' });
    expect(claire.overdueTrend.map((p) => [p.asOf, p.count, p.balance])).toEqual([
      ['2025-05-31', 3, 1_200_000],
      ['2025-06-30', 4, 1_250_000],
      ['2025-07-31', 4, 850_000],
    ]);
    // Level 1: F2 (not settled), F5 (paid 10 days later), G1 (partly); G2's of 07-20 has not had its 15 days yet.
    expect(kpis.levels).toEqual([
      { level: 1, label: '1ère relance', sent: 3, paidWithin15Days: 1, share: 0.333 },
      { level: 2, label: '2ème relance', sent: 1, paidWithin15Days: 0, share: 0 },
    ]);
  });
});

describe('count-back DSO', () => {
  it('takes whole months while the receivables cover their sales, then a share of the next', () => {
    const dso = countBackDso(150, [
      { from: '2025-06-01', to: '2025-06-30', days: 30, sales: 100 },
      { from: '2025-05-01', to: '2025-05-31', days: 31, sales: 100 },
      { from: '2025-04-01', to: '2025-04-30', days: 30, sales: 100 },
    ]);
    expect(dso.days).toBe(45.5);
    expect(dso.periods).toHaveLength(2);
    expect(countBackDso(0, []).days).toBe(0);
    expect(countBackDso(500, [{ from: '2025-06-01', to: '2025-06-30', days: 30, sales: 100 }]).exhausted).toBe(true);
  });
});

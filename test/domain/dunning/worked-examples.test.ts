import { describe, expect, it } from 'vitest';
import { buildPlan, planInvoice, type DunningInput, type SentReminder } from '../../../src/domain/dunning/engine.ts';
import { input, policy } from './fixtures.ts';

describe('the payment-collection module example (levels at 30, 60, 80 days past due)', () => {
  const pol = policy({
    steps: [
      { label: 'Level 1', delayDays: 30, from: 'dueDate', channels: ['email'] },
      { label: 'Level 2', delayDays: 60, from: 'dueDate', channels: ['email'] },
      { label: 'Level 3', delayDays: 80, from: 'dueDate', channels: ['letter'] },
    ],
  });
  const dues = { A: '2022-01-01', B: '2022-01-15', C: '2022-02-25', D: '2022-03-15' } as const;
  const make = (sent: Partial<Record<keyof typeof dues, SentReminder[]>> = {}): DunningInput[] =>
    (Object.keys(dues) as (keyof typeof dues)[]).map((key) =>
      input({ number: key, dueDate: dues[key], issueDate: '2021-12-01' }, sent[key] ?? [], {}, pol),
    );

  it('on 2022-03-28 the first three get level 1 and the fourth is not ready', () => {
    const plan = buildPlan(make(), '2022-03-28');
    expect(plan.items.map((i) => [i.invoice, i.daysOverdue, i.action, i.nextLevel])).toEqual([
      ['A', 86, 'send', 1],
      ['B', 72, 'send', 1],
      ['C', 31, 'send', 1],
      ['D', 13, 'wait', 1],
    ]);
    expect(plan.items[3]!.eligibleOn).toBe('2022-04-14');
    expect(plan.communications).toHaveLength(1);
    expect(plan.communications[0]!.invoices.map((i) => i.invoice)).toEqual(['A', 'B', 'C']);
    expect(plan.communications[0]!.level).toBe(1);
  });

  it('A and B reach level 2 only on a later run, because level 2 needs level 1 first', () => {
    const level1 = [{ level: 1, date: '2022-03-28' }];
    const sent = { A: level1, B: level1, C: level1 };
    const sameDay = buildPlan(make(sent), '2022-03-28');
    expect(sameDay.items.filter((i) => i.action === 'send')).toEqual([]);
    expect(sameDay.items.slice(0, 2).map((i) => i.reason!.code)).toEqual(['too_soon', 'too_soon']);

    const next = buildPlan(make(sent), '2022-03-29');
    expect(next.items.map((i) => [i.invoice, i.action, i.nextLevel, i.eligibleOn])).toEqual([
      ['A', 'send', 2, '2022-03-02'],
      ['B', 'send', 2, '2022-03-16'],
      ['C', 'wait', 2, '2022-04-26'],
      ['D', 'wait', 1, '2022-04-14'],
    ]);
    expect(next.communications.map((c) => [c.level, c.label, c.invoices.length])).toEqual([[2, 'Level 2', 2]]);
    // eKo counters: level 2 to send (A, B), level 1 in progress (C), nothing at level 1 to send (D waits).
    expect(next.summary.levels[1]!.toSend).toEqual({ count: 2, totals: { EUR: 240000 } });
    expect(next.summary.levels[0]!.inProgress).toEqual({ count: 1, totals: { EUR: 120000 } });
    expect(next.summary.levels[0]!.toSend.count).toBe(0);
  });

  it('level 3 follows on the run after level 2, A being already past 80 days', () => {
    const sent = [
      { level: 1, date: '2022-03-28' },
      { level: 2, date: '2022-03-29' },
    ];
    expect(planInvoice(make({ A: sent })[0]!, '2022-03-30')).toMatchObject({ action: 'send', nextLevel: 3 });
    expect(planInvoice(make({ B: sent })[1]!, '2022-03-30')).toMatchObject({
      action: 'wait',
      nextLevel: 3,
      eligibleOn: '2022-04-05',
    });
  });
});

describe("incwo's timing (first at J+X, J+1 being the day after the due date; then Y days after the previous)", () => {
  const pol = policy({
    steps: [
      { label: 'Relance 1', delayDays: 10, from: 'dueDate', channels: ['email'] },
      { label: 'Relance 2', delayDays: 7, from: 'previousStep', channels: ['email'] },
      { label: 'Relance 3', delayDays: 7, from: 'previousStep', channels: ['email'] },
    ],
  });

  it('sends the first on J+10, across the leap day', () => {
    // Due 2024-02-20 = J; J+1 = 02-21; J+10 = 03-01 because February 2024 has 29 days.
    expect(planInvoice(input({ dueDate: '2024-02-20' }, [], {}, pol), '2024-02-29')!.action).toBe('wait');
    expect(planInvoice(input({ dueDate: '2024-02-20' }, [], {}, pol), '2024-03-01')).toMatchObject({
      action: 'send',
      daysOverdue: 10,
    });
  });

  it('counts the next ones from the actual previous sending, not from the theoretical date', () => {
    const sent = [{ level: 1, date: '2024-03-04' }];
    expect(planInvoice(input({ dueDate: '2024-02-20' }, sent, {}, pol), '2024-03-10')!.eligibleOn).toBe('2024-03-11');
    const both = [...sent, { level: 2, date: '2024-03-15' }];
    expect(planInvoice(input({ dueDate: '2024-02-20' }, both, {}, pol), '2024-03-21')!.action).toBe('wait');
    expect(planInvoice(input({ dueDate: '2024-02-20' }, both, {}, pol), '2024-03-22')!.action).toBe('send');
  });
});

describe('calendar boundaries', () => {
  const at = (delayDays: number) =>
    policy({ steps: [{ label: 'R', delayDays, from: 'dueDate', channels: ['email'] }] });
  const eligible = (dueDate: string, delayDays: number) =>
    planInvoice(input({ dueDate, issueDate: '2020-01-01' }, [], {}, at(delayDays)), '2000-01-01') ??
    // A pre-reminder (negative delay) is only sent until the due date; later ones any time after.
    planInvoice(
      input({ dueDate, issueDate: '2020-01-01' }, [], {}, at(delayDays)),
      delayDays < 0 ? dueDate : '2099-01-01',
    )!;

  it('crosses month ends, year ends and leap days in calendar days', () => {
    expect(eligible('2025-01-31', 30).eligibleOn).toBe('2025-03-02');
    expect(eligible('2024-01-31', 30).eligibleOn).toBe('2024-03-01');
    expect(eligible('2024-12-20', 15).eligibleOn).toBe('2025-01-04');
    expect(eligible('2024-02-28', 1).eligibleOn).toBe('2024-02-29');
    expect(eligible('2023-02-28', 1).eligibleOn).toBe('2023-03-01');
    expect(eligible('2024-02-29', 365).eligibleOn).toBe('2025-02-28');
    expect(eligible('2025-01-03', -5).eligibleOn).toBe('2024-12-29');
  });

  it('counts days overdue across a leap year and a year end', () => {
    expect(planInvoice(input({ dueDate: '2024-01-31' }), '2024-03-01')!.daysOverdue).toBe(30);
    expect(planInvoice(input({ dueDate: '2023-12-31' }), '2024-12-31')!.daysOverdue).toBe(366);
    expect(planInvoice(input({ dueDate: '2024-12-31' }), '2025-01-01')!.daysOverdue).toBe(1);
  });
});

describe('partial payments', () => {
  it('chases only what is left and keeps the ladder going', () => {
    const sent = [{ level: 1, date: '2025-02-10' }];
    const item = planInvoice(input({ total: 120000, allocated: 119000 }, sent), '2025-02-25')!;
    expect(item).toMatchObject({ action: 'send', nextLevel: 2, balance: '10.00', balanceCents: 1000 });
  });

  it('stops at the minimum balance once enough was paid', () => {
    const pol = policy({ minBalance: '15.00' });
    expect(planInvoice(input({ allocated: 118600 }, [], {}, pol), '2025-02-25')!.reason!.code).toBe('below_minimum');
    expect(planInvoice(input({ allocated: 118500 }, [], {}, pol), '2025-02-25')!.action).toBe('send');
  });
});

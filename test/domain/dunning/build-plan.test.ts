import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/domain/dunning/engine.ts';
import { parsePolicy } from '../../../src/domain/dunning/policy.ts';
import { input, policy } from './fixtures.ts';

// Fixture steps: due +10 (email), +25 (email), +40 (letter, formal notice). Due 2025-01-31.
const PLAN_DATE = '2025-03-15';
const level2Done = [
  { level: 1, date: '2025-02-10' },
  { level: 2, date: '2025-02-25' },
];

describe('buildPlan communications', () => {
  it('sends one communication per customer, currency and level: each invoice at its own level, never a higher one', () => {
    const plan = buildPlan(
      [
        input({ number: 'F-1', customerCode: 'ACME' }),
        input({ number: 'F-2', customerCode: 'ACME', allocated: 20000 }, level2Done),
        input({ number: 'F-5', customerCode: 'ACME', total: 30000 }),
        input({ number: 'F-3', customerCode: 'ACME', currency: 'USD', total: 5000 }),
        input({ number: 'F-4', customerCode: 'BETA', customerId: 'cus-2' }),
      ],
      PLAN_DATE,
    );
    expect(
      plan.communications.map((c) => [
        c.key,
        c.level,
        c.label,
        c.formalNotice,
        c.invoices.map((i) => i.invoice),
        c.channels,
        c.total,
      ]),
    ).toEqual([
      ['ACME|EUR|1', 1, 'Relance 1', false, ['F-1', 'F-5'], ['email'], '1500.00'],
      ['ACME|EUR|3', 3, 'Mise en demeure', true, ['F-2'], ['letter'], '1000.00'],
      ['ACME|USD|1', 1, 'Relance 1', false, ['F-3'], ['email'], '50.00'],
      ['BETA|EUR|1', 1, 'Relance 1', false, ['F-4'], ['email'], '1200.00'],
    ]);
    expect(plan.communications[0]!.totalCents).toBe(150000);
    expect(plan.communications[3]!.customerId).toBe('cus-2');
    // The formal notice holds only the invoice that received both earlier steps.
    for (const c of plan.communications) for (const i of c.invoices) expect(i.nextLevel).toBe(c.level);
  });

  it('sends one communication per invoice when the policy groups by invoice, or when asked', () => {
    const byInvoice = policy({ grouping: 'invoice' });
    const inputs = [input({ number: 'F-1' }, [], {}, byInvoice), input({ number: 'F-2' }, level2Done, {}, byInvoice)];
    expect(buildPlan(inputs, PLAN_DATE).communications.map((c) => [c.key, c.level])).toEqual([
      ['C001|EUR|F-1', 1],
      ['C001|EUR|F-2', 3],
    ]);
    expect(buildPlan(inputs, PLAN_DATE, { grouping: 'customer' }).communications).toHaveLength(2);
    expect(
      buildPlan([input({ number: 'F-1' }, [], {}, byInvoice), input({ number: 'F-2' }, [], {}, byInvoice)], PLAN_DATE, {
        grouping: 'customer',
      }).communications,
    ).toHaveLength(1);
    expect(
      buildPlan([input({ number: 'F-1' }), input({ number: 'F-2' })], PLAN_DATE, { grouping: 'invoice' })
        .communications,
    ).toHaveLength(2);
  });

  it('carries the templates of the step sent, and charges only when both the step and the policy want them', () => {
    const make = (enabled: boolean, stepCharges?: boolean) =>
      parsePolicy({
        name: 't',
        minBalance: '0',
        minDaysBetween: 0,
        charges: { enabled },
        steps: [
          {
            label: 'R1',
            delayDays: 1,
            from: 'dueDate',
            channels: ['email'],
            templates: ['r1-fr'],
            ...(stepCharges === undefined ? {} : { charges: stepCharges }),
          },
        ],
      });
    const first = (enabled: boolean, stepCharges?: boolean) =>
      buildPlan([input({}, [], {}, make(enabled, stepCharges))], PLAN_DATE).communications[0]!;
    expect(first(true, true)).toMatchObject({ templates: ['r1-fr'], claimCharges: true });
    expect(first(false, true).claimCharges).toBe(false);
    expect(first(true).claimCharges).toBe(false);
    expect(buildPlan([input()], PLAN_DATE).communications[0]!.templates).toEqual([]);
  });

  it('leaves waits and skips out of the communications, and sorts items by customer then due date', () => {
    const plan = buildPlan(
      [
        input({ number: 'F-9', customerCode: 'ZED', dueDate: '2025-03-10' }),
        input({ number: 'F-8', customerCode: 'ACME', disputed: true }),
        input({ number: 'F-7', customerCode: 'ACME', dueDate: '2025-01-15' }),
        input({ number: 'F-6', customerCode: 'ACME', allocated: 120000 }),
      ],
      PLAN_DATE,
    );
    expect(plan.items.map((i) => [i.invoice, i.action])).toEqual([
      ['F-7', 'send'],
      ['F-8', 'skip'],
      ['F-9', 'wait'],
    ]);
    expect(plan.communications.map((c) => c.invoices.map((i) => i.invoice))).toEqual([['F-7']]);
    expect(plan.date).toBe(PLAN_DATE);
  });
});

describe('buildPlan order', () => {
  it('orders items by customer code, currency, due date and invoice number, whatever the input order', () => {
    // BIG has more invoices than the few a customer usually has (its items are sorted differently inside).
    const wanted: [string, string, string, string][] = [];
    for (const code of ['A', 'AB', 'B', 'BIG', 'b']) {
      const count = code === 'BIG' ? 40 : 3;
      for (let k = 0; k < count; k++) {
        const currency = k % 2 === 0 ? 'EUR' : 'USD';
        wanted.push([
          code,
          currency,
          `2025-01-${String(10 + (k % 7)).padStart(2, '0')}`,
          `F-${code}-${String(k).padStart(3, '0')}`,
        ]);
      }
    }
    const byFields = (x: string[], y: string[]): number => {
      for (let f = 0; f < x.length; f++) if (x[f] !== y[f]) return x[f]! < y[f]! ? -1 : 1;
      return 0;
    };
    wanted.sort(byFields);
    // A fixed shuffle: every 7th element first, and so on.
    const shuffled = [...wanted.keys()].sort((a, b) => (a % 7) - (b % 7) || b - a).map((i) => wanted[i]!);
    const plan = buildPlan(
      shuffled.map(([customerCode, currency, dueDate, number]) =>
        input({ number, customerCode, customerId: customerCode, currency, dueDate }),
      ),
      PLAN_DATE,
    );
    expect(plan.items.map((i) => [i.customer, i.currency, i.dueDate, i.invoice])).toEqual(wanted);
  });
});

describe('buildPlan summary', () => {
  it("counts eKo's categories per level, out of cycle and per reason, totals per currency", () => {
    const all = [1, 2, 3].map((level) => ({ level, date: '2025-03-12' }));
    const plan = buildPlan(
      [
        input({ number: 'S1' }), // level 1 to send
        input({ number: 'S2', currency: 'USD', total: 1000 }), // level 1 to send (USD)
        input({ number: 'P1' }, [{ level: 1, date: '2025-03-15' }]), // level 1 sent today: level 2 too soon
        input({ number: 'P2', dueDate: '2025-03-01' }, [{ level: 1, date: '2025-03-11' }]), // level 2 not yet due
        input({ number: 'S3', allocated: 100000 }, level2Done), // level 3 to send
        input({ number: 'O1' }, all), // out of cycle
        input({ number: 'O2', total: 500 }, all), // out of cycle
        input({ number: 'D1', disputed: true }),
        input({ number: 'H1', promiseToPayDate: '2025-04-01' }, [{ level: 1, date: '2025-02-10' }]),
      ],
      PLAN_DATE,
    );
    const { levels, outOfCycle, byReason } = plan.summary;
    expect(levels.map((l) => [l.level, l.label])).toEqual([
      [1, 'Relance 1'],
      [2, 'Relance 2'],
      [3, 'Mise en demeure'],
    ]);
    expect(levels[0]!.toSend).toEqual({ count: 2, totals: { EUR: 120000, USD: 1000 } });
    expect(levels[0]!.inProgress).toEqual({ count: 2, totals: { EUR: 240000 } });
    expect(levels[1]!.toSend).toEqual({ count: 0, totals: {} });
    expect(levels[2]!.toSend).toEqual({ count: 1, totals: { EUR: 20000 } });
    expect(outOfCycle).toEqual({ count: 2, totals: { EUR: 120500 } });
    expect(byReason.disputed).toEqual({ count: 1, totals: { EUR: 120000 } });
    expect(byReason.promise_to_pay!.count).toBe(1);
    expect(byReason.too_soon!.count).toBe(1);
    expect(byReason.not_yet_due!.count).toBe(1);
    expect(byReason.no_contact).toBeUndefined();
  });

  it('is empty for no invoices', () => {
    expect(buildPlan([], PLAN_DATE)).toEqual({
      date: PLAN_DATE,
      items: [],
      communications: [],
      summary: { levels: [], outOfCycle: { count: 0, totals: {} }, byReason: {} },
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/calendar.ts';
import {
  isPreReminder,
  nextActionDate,
  planInvoice,
  type CustomerState,
  type DunningInput,
  type SentReminder,
} from '../../../src/domain/dunning/engine.ts';
import { parsePolicy, type Policy } from '../../../src/domain/dunning/policy.ts';
import { invoice, reachable } from './fixtures.ts';

const stepArb = (first: boolean) =>
  fc.record({
    label: fc.constantFrom('R1', 'R2', 'R3'),
    delayDays: fc.integer({ min: -10, max: 60 }),
    from: first ? fc.constantFrom('dueDate', 'issueDate') : fc.constantFrom('dueDate', 'issueDate', 'previousStep'),
    channels: fc.constantFrom(['email'], ['letter'], ['email', 'letter']),
  });

const policyArb: fc.Arbitrary<Policy> = fc
  .tuple(stepArb(true), fc.array(stepArb(false), { maxLength: 4 }), fc.integer({ min: 0, max: 20 }))
  .map(([first, rest, minDaysBetween]) =>
    parsePolicy({
      name: 'p',
      steps: [first, ...rest],
      minBalance: '0.00',
      minDaysBetween,
    }),
  );

// Dates as offsets from a fixed origin spanning a leap year, so no arbitrary ever builds a JS Date.
const ORIGIN = '2023-11-01';
const dayArb = fc.integer({ min: 0, max: 900 }).map((n) => addDays(ORIGIN, n));

const customerArb: fc.Arbitrary<CustomerState> = fc.record({
  pausedUntil: fc.option(dayArb, { freq: 4 }),
  blockedReason: fc.constant(null),
  hasEmail: fc.boolean(),
  hasPostalAddress: fc.boolean(),
});

/** Any reminder history, even an inconsistent one (gaps, repeats), as storage could hold after a policy change. */
const remindersArb: fc.Arbitrary<SentReminder[]> = fc.array(
  fc.record({ level: fc.integer({ min: 1, max: 6 }), date: dayArb }),
  { maxLength: 5 },
);

const inputArb: fc.Arbitrary<DunningInput> = fc
  .record({
    policy: policyArb,
    reminders: remindersArb,
    customer: customerArb,
    dueOffset: fc.integer({ min: 0, max: 400 }),
    promise: fc.option(dayArb, { freq: 4 }),
  })
  .map(({ policy, reminders, customer, dueOffset, promise }) => ({
    policy,
    reminders,
    customer,
    invoice: invoice({ issueDate: ORIGIN, dueDate: addDays(ORIGIN, dueOffset), promiseToPayDate: promise }),
  }));

describe('dunning properties', () => {
  it('never plans a level already sent, nor one whose predecessor is missing (but for a pre-reminder passed over once due)', () => {
    fc.assert(
      fc.property(inputArb, dayArb, (input, date) => {
        const item = planInvoice(input, date);
        if (item === null || item.action !== 'send') return;
        const levels = new Set(input.reminders.map((r) => r.level));
        const last = Math.max(0, ...levels);
        expect(levels.has(item.nextLevel!)).toBe(false);
        expect(item.nextLevel!).toBeGreaterThan(last);
        // Every level between the last one sent and this one is a pre-reminder the overdue invoice passed over.
        for (let level = last + 1; level < item.nextLevel!; level++) {
          expect(isPreReminder(input.policy.steps[level - 1]!)).toBe(true);
          expect(date > input.invoice.dueDate).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never sends before the next-action date it gave, and looking again on that date moves on', () => {
    fc.assert(
      fc.property(inputArb, dayArb, fc.integer({ min: 0, max: 400 }), (input, asOf, ahead) => {
        const next = nextActionDate(input, asOf);
        const date = addDays(asOf, ahead);
        const item = planInvoice(input, date);
        if (next === null) {
          expect(item?.action ?? 'none').not.toBe('send');
          return;
        }
        // The daily run reads an invoice only once its stored date has come: nothing may become sendable before.
        if (date < next) expect(item?.action ?? 'none').not.toBe('send');
        // On the date itself the step is sendable (or skipped for want of a channel), or the state moved on.
        const onTheDay = planInvoice(input, next > asOf ? next : asOf);
        if (onTheDay?.action !== 'send' && onTheDay?.action !== 'skip') {
          const again = nextActionDate(input, next > asOf ? next : asOf);
          expect(again === null || again > (next > asOf ? next : asOf)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('running every day, or with missed days, climbs the ladder one level at a time and stops at the top', () => {
    const runArb = fc.record({
      policy: policyArb,
      dueOffset: fc.integer({ min: 0, max: 60 }),
      runEvery: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(runArb, ({ policy, dueOffset, runEvery }) => {
        const inv = invoice({ issueDate: ORIGIN, dueDate: addDays(ORIGIN, dueOffset) });
        const reminders: SentReminder[] = [];
        let date = ORIGIN;
        for (let run = 0; run < 500; run++) {
          const item = planInvoice({ invoice: inv, reminders, customer: reachable, policy }, date);
          if (item?.action === 'send') {
            const previous = reminders[reminders.length - 1];
            if (previous) {
              expect(addDays(previous.date, Math.max(1, policy.minDaysBetween)) <= date).toBe(true);
            }
            reminders.push({ level: item.nextLevel!, date });
          }
          date = addDays(date, runEvery[run % runEvery.length]!);
        }
        // Each step once, in order; only a pre-reminder the invoice was already due for may be missing.
        const levels = reminders.map((r) => r.level);
        expect(levels).toEqual([...levels].sort((a, b) => a - b));
        policy.steps.forEach((step, i) => {
          if (!levels.includes(i + 1)) expect(isPreReminder(step)).toBe(true);
        });
        expect(nextActionDate({ invoice: inv, reminders, customer: reachable, policy }, date)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/calendar.ts';
import {
  nextActionDate, planInvoice, type CustomerState, type DunningInput, type SentReminder,
} from '../../../src/domain/dunning/engine.ts';
import { parsePolicy, type Policy } from '../../../src/domain/dunning/policy.ts';
import { invoice, reachable } from './fixtures.ts';

const stepArb = (first: boolean) => fc.record({
  label: fc.constantFrom('R1', 'R2', 'R3'),
  delayDays: fc.integer({ min: -10, max: 60 }),
  from: first ? fc.constantFrom('dueDate', 'issueDate') : fc.constantFrom('dueDate', 'issueDate', 'previousStep'),
  channels: fc.constantFrom(['email'], ['letter'], ['email', 'letter']),
});

const policyArb: fc.Arbitrary<Policy> = fc.tuple(stepArb(true), fc.array(stepArb(false), { maxLength: 4 }),
  fc.integer({ min: 0, max: 20 }))
  .map(([first, rest, minDaysBetween]) => parsePolicy({
    name: 'p', steps: [first, ...rest], minBalance: '0.00', minDaysBetween,
  }));

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
  fc.record({ level: fc.integer({ min: 1, max: 6 }), date: dayArb }), { maxLength: 5 },
);

const inputArb: fc.Arbitrary<DunningInput> = fc.record({
  policy: policyArb,
  reminders: remindersArb,
  customer: customerArb,
  dueOffset: fc.integer({ min: 0, max: 400 }),
  promise: fc.option(dayArb, { freq: 4 }),
}).map(({ policy, reminders, customer, dueOffset, promise }) => ({
  policy, reminders, customer,
  invoice: invoice({ issueDate: ORIGIN, dueDate: addDays(ORIGIN, dueOffset), promiseToPayDate: promise }),
}));

describe('dunning properties', () => {
  it('never plans a level already sent, nor one whose predecessor is missing', () => {
    fc.assert(fc.property(inputArb, dayArb, (input, date) => {
      const item = planInvoice(input, date);
      if (item === null || item.action !== 'send') return;
      const levels = new Set(input.reminders.map((r) => r.level));
      expect(levels.has(item.nextLevel!)).toBe(false);
      if (item.nextLevel! > 1) expect(levels.has(item.nextLevel! - 1)).toBe(true);
      expect(item.nextLevel).toBe(Math.max(0, ...levels) + 1);
    }), { numRuns: 2000 });
  });

  it('sends exactly from nextActionDate on, when a channel is usable', () => {
    fc.assert(fc.property(inputArb, dayArb, (input, date) => {
      const next = nextActionDate(input);
      const item = planInvoice(input, date);
      if (next === null) {
        expect(item?.action ?? 'none').not.toBe('send');
        return;
      }
      if (date < next) {
        expect(item?.action ?? 'none').not.toBe('send');
      } else {
        expect(item).not.toBeNull();
        expect(item!.action).toBe(item!.channels.length > 0 ? 'send' : 'skip');
      }
    }), { numRuns: 2000 });
  });

  it('running every day, or with missed days, climbs the ladder one level at a time and stops at the top', () => {
    const runArb = fc.record({
      policy: policyArb,
      dueOffset: fc.integer({ min: 0, max: 60 }),
      runEvery: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(fc.property(runArb, ({ policy, dueOffset, runEvery }) => {
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
      expect(reminders.map((r) => r.level)).toEqual(policy.steps.map((_, i) => i + 1));
      expect(nextActionDate({ invoice: inv, reminders, customer: reachable, policy })).toBeNull();
    }), { numRuns: 300 });
  });
});

import { describe, expect, it } from 'vitest';
import { nextActionDate, planInvoice, usableChannels } from '../../../src/domain/dunning/engine.ts';
import { defaultPolicy } from '../../../src/domain/dunning/policy.ts';
import { input, policy, reachable } from './fixtures.ts';

// The fixture invoice is due 2025-01-31; steps at due +10 (02-10), +25 (02-25), +40 (03-12).
// Next-action dates are asked as of a day before the due date unless a test says otherwise.
const ON = '2025-01-15';

describe('which invoices appear', () => {
  it('leaves out paid, over-paid and cancelled invoices', () => {
    expect(planInvoice(input({ allocated: 120000 }), '2025-03-01')).toBeNull();
    expect(planInvoice(input({ allocated: 130000 }), '2025-03-01')).toBeNull();
    expect(planInvoice(input({ status: 'cancelled' }), '2025-03-01')).toBeNull();
    expect(nextActionDate(input({ allocated: 120000 }), ON)).toBeNull();
    expect(nextActionDate(input({ status: 'cancelled' }), ON)).toBeNull();
  });

  it('leaves out an invoice not yet due, shows it from the day after the due date', () => {
    expect(planInvoice(input(), '2025-01-31')).toBeNull();
    const item = planInvoice(input(), '2025-02-01')!;
    expect(item).toMatchObject({ action: 'wait', daysOverdue: 1, nextLevel: 1, lastLevel: 0 });
    expect(item.reason).toEqual({ code: 'not_yet_due', message: 'step 1 is due on 2025-02-10' });
    expect(item.eligibleOn).toBe('2025-02-10');
  });

  it('shows an invoice inside the pre-reminder window of a negative first step', () => {
    const pol = defaultPolicy();
    expect(planInvoice(input({}, [], {}, pol), '2025-01-25')).toBeNull();
    const item = planInvoice(input({}, [], {}, pol), '2025-01-26')!;
    expect(item).toMatchObject({ action: 'send', nextLevel: 1, label: 'Prérelance', daysOverdue: -5 });
    expect(item.eligibleOn).toBe('2025-01-26');
  });

  it('shows an invoice that already has reminders', () => {
    const item = planInvoice(input({ dueDate: '2025-03-31' }, [{ level: 1, date: '2025-03-20' }]), '2025-03-25')!;
    expect(item).toMatchObject({ action: 'wait', lastLevel: 1, nextLevel: 2, daysOverdue: -6 });
  });

  it('fills in the item', () => {
    expect(planInvoice(input({ allocated: 20000 }), '2025-02-10')).toEqual({
      customer: 'C001',
      customerId: 'cus-1',
      invoice: 'F-001',
      currency: 'EUR',
      dueDate: '2025-01-31',
      action: 'send',
      nextLevel: 1,
      lastLevel: 0,
      label: 'Relance 1',
      daysOverdue: 10,
      balance: '1000.00',
      balanceCents: 100000,
      reason: null,
      eligibleOn: '2025-02-10',
      channels: ['email'],
    });
  });
});

describe('levels', () => {
  it('sends step 1 on its date and not the day before', () => {
    expect(planInvoice(input(), '2025-02-09')!.action).toBe('wait');
    expect(planInvoice(input(), '2025-02-10')!.action).toBe('send');
  });

  it('never skips a level, however late the run: a year late is still level 1', () => {
    const item = planInvoice(input(), '2026-01-31')!;
    expect(item).toMatchObject({ action: 'send', nextLevel: 1, daysOverdue: 365 });
  });

  it('plans the level after the highest one sent, never one already sent', () => {
    expect(planInvoice(input({}, [{ level: 1, date: '2025-02-10' }]), '2025-02-25')!.nextLevel).toBe(2);
    const twoSent = [
      { level: 2, date: '2025-02-25' },
      { level: 1, date: '2025-02-10' },
    ];
    expect(planInvoice(input({}, twoSent), '2025-03-12')).toMatchObject({ action: 'send', nextLevel: 3, lastLevel: 2 });
  });

  it('catches up missed days: a run after the step date still sends', () => {
    expect(planInvoice(input({}, [{ level: 1, date: '2025-02-10' }]), '2025-03-05')).toMatchObject({
      action: 'send',
      nextLevel: 2,
      eligibleOn: '2025-02-25',
    });
  });

  it('counts a previousStep delay from the date the previous reminder was really sent', () => {
    const pol = defaultPolicy();
    // 1ère relance sent late, on 02-20 instead of 02-10: the 2ème relance waits 15 days from 02-20.
    const sent = [
      { level: 1, date: '2025-01-26' },
      { level: 2, date: '2025-02-20' },
    ];
    expect(planInvoice(input({}, sent, {}, pol), '2025-03-06')).toMatchObject({
      action: 'wait',
      nextLevel: 3,
      eligibleOn: '2025-03-07',
      reason: { code: 'not_yet_due' },
    });
    expect(planInvoice(input({}, sent, {}, pol), '2025-03-07')!.action).toBe('send');
  });

  it('uses the latest sending when a level was sent twice', () => {
    const pol = defaultPolicy();
    const sent = [
      { level: 1, date: '2025-01-26' },
      { level: 2, date: '2025-02-10' },
      { level: 2, date: '2025-02-20' },
    ];
    expect(planInvoice(input({}, sent, {}, pol), '2025-03-01')!.eligibleOn).toBe('2025-03-07');
  });

  it('counts an issueDate step from the issue date', () => {
    const pol = policy({ steps: [{ label: 'Rappel', delayDays: 45, from: 'issueDate', channels: ['email'] }] });
    // Issued 2025-01-01 + 45 days = 2025-02-15.
    expect(planInvoice(input({}, [], {}, pol), '2025-02-14')!.eligibleOn).toBe('2025-02-15');
    expect(planInvoice(input({}, [], {}, pol), '2025-02-15')!.action).toBe('send');
  });

  it('shows an issueDate step due before the due date as a pre-reminder', () => {
    const pol = policy({ steps: [{ label: 'Rappel', delayDays: 20, from: 'issueDate', channels: ['email'] }] });
    expect(planInvoice(input({}, [], {}, pol), '2025-01-20')).toBeNull();
    expect(planInvoice(input({}, [], {}, pol), '2025-01-21')).toMatchObject({ action: 'send', daysOverdue: -10 });
  });

  it('puts an invoice out of cycle once every step was sent, for good', () => {
    const sent = [1, 2, 3].map((level) => ({ level, date: '2025-03-12' }));
    const item = planInvoice(input({}, sent), '2026-06-01')!;
    expect(item).toMatchObject({
      action: 'skip',
      nextLevel: null,
      lastLevel: 3,
      label: 'Mise en demeure',
      channels: [],
    });
    expect(item.reason!.code).toBe('out_of_cycle');
    expect(nextActionDate(input({}, sent), ON)).toBeNull();
  });

  it('treats levels beyond a shortened policy as out of cycle', () => {
    expect(planInvoice(input({}, [{ level: 5, date: '2025-03-01' }]), '2025-04-01')!.reason!.code).toBe('out_of_cycle');
  });
});

describe('minDaysBetween', () => {
  const pol = policy({ minDaysBetween: 7 });
  const late = [{ level: 1, date: '2025-02-22' }];

  it('waits until the gap is reached even when the step is due, then sends', () => {
    expect(planInvoice(input({}, late, {}, pol), '2025-02-28')).toMatchObject({
      action: 'wait',
      eligibleOn: '2025-03-01',
      reason: { code: 'too_soon' },
    });
    expect(planInvoice(input({}, late, {}, pol), '2025-03-01')!.action).toBe('send');
    expect(nextActionDate(input({}, late, {}, pol), ON)).toBe('2025-03-01');
  });

  it('reports the date that really binds when the step is further away than the gap', () => {
    expect(planInvoice(input({}, [{ level: 1, date: '2025-02-10' }], {}, pol), '2025-02-12')).toMatchObject({
      action: 'wait',
      eligibleOn: '2025-02-25',
      reason: { code: 'not_yet_due' },
    });
  });

  it('never sends two levels on the same day, even with minDaysBetween 0', () => {
    const sentToday = [{ level: 1, date: '2025-03-05' }];
    expect(planInvoice(input({}, sentToday), '2025-03-05')).toMatchObject({
      action: 'wait',
      reason: { code: 'too_soon' },
      eligibleOn: '2025-03-06',
    });
    expect(planInvoice(input({}, sentToday), '2025-03-06')!.action).toBe('send');
  });
});

describe('holds and skips', () => {
  it('skips a balance below the minimum, and sends at exactly the minimum (partial payment counted)', () => {
    const pol = policy({ minBalance: '15.00' });
    const below = planInvoice(input({ total: 10000, allocated: 8501 }, [], {}, pol), '2025-03-01')!;
    expect(below).toMatchObject({ action: 'skip', balance: '14.99', reason: { code: 'below_minimum' } });
    expect(below.reason!.message).toBe('balance 14.99 is below the minimum 15.00');
    expect(planInvoice(input({ total: 10000, allocated: 8500 }, [], {}, pol), '2025-03-01')!.action).toBe('send');
    expect(nextActionDate(input({ total: 10000, allocated: 8501 }, [], {}, pol), ON)).toBeNull();
  });

  it('skips a disputed invoice with its reason', () => {
    const item = planInvoice(input({ disputed: true, disputeReason: 'goods damaged' }), '2025-03-01')!;
    expect(item).toMatchObject({
      action: 'skip',
      nextLevel: 1,
      reason: { code: 'disputed', message: 'disputed: goods damaged' },
    });
    expect(planInvoice(input({ disputed: true }), '2025-03-01')!.reason!.message).toBe('invoice is disputed');
    expect(nextActionDate(input({ disputed: true }), ON)).toBeNull();
  });

  it('skips a blocked customer', () => {
    const item = planInvoice(input({}, [], { blockedReason: 'in receivership' }), '2025-03-01')!;
    expect(item).toMatchObject({
      action: 'skip',
      reason: { code: 'customer_blocked', message: 'customer blocked: in receivership' },
    });
    expect(nextActionDate(input({}, [], { blockedReason: 'x' }), ON)).toBeNull();
  });

  it('waits while the customer is paused, up to and including the pause end', () => {
    const paused = input({}, [], { pausedUntil: '2025-03-10' });
    expect(planInvoice(paused, '2025-03-10')).toMatchObject({
      action: 'wait',
      eligibleOn: '2025-03-11',
      reason: { code: 'customer_paused' },
    });
    expect(planInvoice(paused, '2025-03-11')!.action).toBe('send');
    expect(nextActionDate(paused, ON)).toBe('2025-03-11');
    // A pause already over does not hold anything.
    expect(planInvoice(input({}, [], { pausedUntil: '2025-01-01' }), '2025-02-10')!.action).toBe('send');
  });

  it('waits until the day after a promise to pay, then resumes where the ladder was', () => {
    const promised = input({ promiseToPayDate: '2025-02-28' }, [{ level: 1, date: '2025-02-10' }]);
    expect(planInvoice(promised, '2025-02-28')).toMatchObject({
      action: 'wait',
      nextLevel: 2,
      eligibleOn: '2025-03-01',
      reason: { code: 'promise_to_pay' },
    });
    expect(planInvoice(promised, '2025-03-01')).toMatchObject({ action: 'send', nextLevel: 2 });
    expect(nextActionDate(promised, ON)).toBe('2025-03-01');
  });

  it("holds an invoice whose payment the customer announced for the policy's pause (10 days by default)", () => {
    const announced = input({ paymentAnnouncedOn: '2025-02-20' }, [{ level: 1, date: '2025-02-10' }]);
    expect(planInvoice(announced, '2025-02-28')).toMatchObject({
      action: 'wait',
      eligibleOn: '2025-03-02',
      reason: { code: 'payment_announced', message: 'payment announced by the customer on 2025-02-20' },
    });
    expect(planInvoice(announced, '2025-03-02')).toMatchObject({ action: 'send', nextLevel: 2 });
    const shorter = input(
      { paymentAnnouncedOn: '2025-02-20' },
      [{ level: 1, date: '2025-02-10' }],
      {},
      policy({ announcedPaymentPauseDays: 3 }),
    );
    expect(planInvoice(shorter, '2025-02-25')).toMatchObject({ action: 'send' });
  });

  it('reports the next step date when it comes after the promise', () => {
    const promised = input({ promiseToPayDate: '2025-02-05' });
    expect(planInvoice(promised, '2025-02-03')).toMatchObject({
      reason: { code: 'not_yet_due' },
      eligibleOn: '2025-02-10',
    });
  });

  it('checks dispute before pause and the minimum, and keeps out of cycle first', () => {
    const everything = input(
      { disputed: true, total: 100 },
      [],
      { blockedReason: 'x', pausedUntil: '2030-01-01' },
      policy({ minBalance: '15.00' }),
    );
    expect(planInvoice(everything, '2025-03-01')!.reason!.code).toBe('disputed');
    const done = input(
      { disputed: true },
      [1, 2, 3].map((level) => ({ level, date: '2025-03-12' })),
    );
    expect(planInvoice(done, '2025-04-01')!.reason!.code).toBe('out_of_cycle');
  });
});

describe('channels', () => {
  it('falls back from e-mail to a letter when there is an address', () => {
    expect(usableChannels(['email'], { ...reachable, hasEmail: false })).toEqual(['letter']);
    expect(usableChannels(['email', 'letter'], { ...reachable, hasEmail: false })).toEqual(['letter']);
    expect(usableChannels(['letter', 'email'], reachable)).toEqual(['email', 'letter']);
    expect(usableChannels(['letter'], { ...reachable, hasPostalAddress: false })).toEqual([]);
    expect(usableChannels(['email', 'letter'], { ...reachable, hasPostalAddress: false })).toEqual(['email']);
  });

  it('skips with no_contact when nothing is usable, but only once the step is due', () => {
    const unreachable = { hasEmail: false, hasPostalAddress: false };
    expect(planInvoice(input({}, [], unreachable), '2025-02-05')!.reason!.code).toBe('not_yet_due');
    expect(planInvoice(input({}, [], unreachable), '2025-02-10')).toMatchObject({
      action: 'skip',
      channels: [],
      reason: { code: 'no_contact' },
    });
    // It still has a next date: someone has to add a contact.
    expect(nextActionDate(input({}, [], unreachable), ON)).toBe('2025-02-10');
  });

  it('sends the letter-only formal notice by letter even without e-mail', () => {
    const sent = [
      { level: 1, date: '2025-02-10' },
      { level: 2, date: '2025-02-25' },
    ];
    expect(planInvoice(input({}, sent, { hasEmail: false }), '2025-03-12')).toMatchObject({
      action: 'send',
      nextLevel: 3,
      channels: ['letter'],
    });
  });
});

describe('nextActionDate', () => {
  it('is the eligibility of the next step, whatever the lateness', () => {
    expect(nextActionDate(input(), ON)).toBe('2025-02-10');
    expect(nextActionDate(input({}, [{ level: 1, date: '2025-02-12' }]), ON)).toBe('2025-02-25');
    expect(nextActionDate(input({}, [], {}, defaultPolicy()), ON)).toBe('2025-01-26');
  });

  it('is the latest of the step date, the gap, the promise and the pause', () => {
    const pol = policy({ minDaysBetween: 7 });
    const sent = [{ level: 1, date: '2025-02-20' }];
    expect(nextActionDate(input({}, sent, {}, pol), ON)).toBe('2025-02-27');
    expect(nextActionDate(input({ promiseToPayDate: '2025-03-03' }, sent, {}, pol), ON)).toBe('2025-03-04');
    expect(
      nextActionDate(input({ promiseToPayDate: '2025-03-03' }, sent, { pausedUntil: '2025-04-30' }, pol), ON),
    ).toBe('2025-05-01');
  });
});

describe('a pre-reminder not sent by the due date', () => {
  // defaultPolicy: Prérelance at due −5 (01-26), 1ère relance at due +10 (02-10), then 15 days after each.
  const pol = defaultPolicy();

  it('is passed over once the invoice is due: an overdue invoice gets the first real reminder, never "soon due"', () => {
    // Imported 480 days late, never reminded.
    const late = input({ issueDate: '2023-08-01', dueDate: '2023-09-01' }, [], {}, pol);
    expect(planInvoice(late, '2024-12-24')).toMatchObject({
      action: 'send',
      lastLevel: 0,
      nextLevel: 2,
      label: '1ère relance',
    });
    // Just after the due date it waits for the first reminder's own date, not for the pre-reminder.
    expect(planInvoice(input({}, [], {}, pol), '2025-02-01')).toMatchObject({
      action: 'wait',
      nextLevel: 2,
      eligibleOn: '2025-02-10',
      reason: { code: 'not_yet_due' },
    });
    expect(nextActionDate(input({}, [], {}, pol), '2025-02-01')).toBe('2025-02-10');
  });

  it('is still sent up to and including the due date, and the ladder then goes on from it', () => {
    expect(planInvoice(input({}, [], {}, pol), '2025-01-31')).toMatchObject({
      action: 'send',
      nextLevel: 1,
      label: 'Prérelance',
    });
    const sent = [{ level: 1, date: '2025-01-26' }];
    expect(planInvoice(input({}, sent, {}, pol), '2025-02-10')).toMatchObject({
      action: 'send',
      lastLevel: 1,
      nextLevel: 2,
    });
  });

  it('makes the planner look again the day after the due date when a hold kept it back', () => {
    // Paused until after the due date: the pre-reminder will never be due again, so 02-01 is the next look.
    const paused = input({}, [], { pausedUntil: '2025-02-20' }, pol);
    expect(nextActionDate(paused, '2025-01-20')).toBe('2025-02-01');
    expect(planInvoice(paused, '2025-02-01')).toMatchObject({
      action: 'wait',
      nextLevel: 2,
      reason: { code: 'customer_paused' },
    });
    expect(nextActionDate(paused, '2025-02-01')).toBe('2025-02-21');
  });
});

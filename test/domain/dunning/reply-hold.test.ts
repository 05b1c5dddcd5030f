import { describe, expect, it } from 'vitest';
import { nextActionDate, planInvoice } from '../../../src/domain/dunning/engine.ts';
import { input, policy } from './fixtures.ts';

// The fixture invoice is due 2025-01-31; step 1 at due +10 (02-10).
describe('an unread answer from the customer', () => {
  it('holds the next step, day after day, until it is read', () => {
    const held = input({}, [], { replyUnreadSince: '2025-02-08' });
    const item = planInvoice(held, '2025-02-12')!;
    expect(item).toMatchObject({ action: 'wait', nextLevel: 1, eligibleOn: '2025-02-13' });
    expect(item.reason).toEqual({ code: 'reply_unread', message: "the customer's answer of 2025-02-08 is unread" });
    expect(nextActionDate(held, '2025-02-12')).toBe('2025-02-13');
    expect(planInvoice(input({}, [], { replyUnreadSince: null }), '2025-02-12')!.action).toBe('send');
  });

  it('gives way to a longer hold, and holds nothing when the policy says so', () => {
    const paused = input({}, [], { replyUnreadSince: '2025-02-08', pausedUntil: '2025-03-01' });
    expect(planInvoice(paused, '2025-02-12')!.reason!.code).toBe('customer_paused');
    const off = input({}, [], { replyUnreadSince: '2025-02-08' }, policy({ pauseOnReply: false }));
    expect(planInvoice(off, '2025-02-12')).toMatchObject({ action: 'send', reason: null });
  });
});

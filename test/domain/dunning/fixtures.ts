import type { CustomerState, DunningInput, DunningInvoice, SentReminder } from '../../../src/domain/dunning/engine.ts';
import { parsePolicy, type Policy, type PolicyJson } from '../../../src/domain/dunning/policy.ts';

export const reachable: CustomerState = {
  pausedUntil: null,
  blockedReason: null,
  hasEmail: true,
  hasPostalAddress: true,
};

export function invoice(overrides: Partial<DunningInvoice> = {}): DunningInvoice {
  return {
    number: 'F-001',
    customerCode: 'C001',
    customerId: 'cus-1',
    issueDate: '2025-01-01',
    dueDate: '2025-01-31',
    currency: 'EUR',
    total: 120000,
    allocated: 0,
    status: 'issued',
    disputed: false,
    disputeReason: null,
    promiseToPayDate: null,
    ...overrides,
  };
}

/** Three steps counted from the due date (+10, +25, +40), no spacing rule, no minimum. */
export function policy(overrides: Partial<PolicyJson> = {}): Policy {
  return parsePolicy({
    name: 'test',
    steps: [
      { label: 'Relance 1', delayDays: 10, from: 'dueDate', channels: ['email'] },
      { label: 'Relance 2', delayDays: 25, from: 'dueDate', channels: ['email'] },
      { label: 'Mise en demeure', delayDays: 40, from: 'dueDate', channels: ['letter'], formalNotice: true },
    ],
    minBalance: '0.00',
    minDaysBetween: 0,
    ...overrides,
  });
}

export function input(
  inv: Partial<DunningInvoice> = {},
  reminders: SentReminder[] = [],
  customer: Partial<CustomerState> = {},
  pol: Policy = policy(),
): DunningInput {
  return { invoice: invoice(inv), reminders, customer: { ...reachable, ...customer }, policy: pol };
}

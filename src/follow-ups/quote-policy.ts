import { parsePolicy, type Policy, type PolicyJson } from '../domain/dunning/policy.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { getQuotePolicyJson, setQuotePolicyJson } from '../storage/follow-ups.ts';

/** The quote policy of a company that has not chosen one: one e-mail a week before the quote expires. */
export const DEFAULT_QUOTE_POLICY: PolicyJson = {
  name: 'devis',
  steps: [{ label: 'Relance de devis', delayDays: -7, from: 'dueDate', channels: ['email'] }],
  minBalance: '0.00',
  minDaysBetween: 0,
};

/** The company's quote follow-up policy, or the default one. */
export async function quotePolicy(db: Db, companyId: string): Promise<Policy> {
  return parsePolicy((await getQuotePolicyJson(db, companyId)) ?? structuredClone(DEFAULT_QUOTE_POLICY));
}

/**
 * Sets the steps of quote follow-ups (the dunning policy format; `dueDate` is the quote's expiry date).
 * Only e-mail is sent for quotes, so a step must list the email channel. Null goes back to the default.
 */
export async function setQuotePolicy(db: Db, companyId: string, json: unknown | null): Promise<Policy> {
  if (json === null) {
    await setQuotePolicyJson(db, companyId, null);
    return quotePolicy(db, companyId);
  }
  const policy = parsePolicy(json);
  const noEmail = policy.steps.findIndex((s) => !s.channels.includes('email'));
  if (noEmail >= 0) {
    throw new AppError(
      'invalid_input',
      'invalid quote policy: quote follow-ups are sent by e-mail',
      [{ field: `steps.${noEmail}.channels`, reason: 'must include "email"', code: 'reason.emailOnly' }],
      { key: 'problem.quotes.emailOnly' },
    );
  }
  await setQuotePolicyJson(db, companyId, json);
  return policy;
}

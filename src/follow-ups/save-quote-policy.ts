import type { Policy } from '../domain/dunning/policy.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { setQuotePolicy } from './run-follow-ups.ts';

/** Sets the quote follow-up policy from its steps (checked as a reminder policy is), with its audit row. */
export async function saveQuotePolicy(db: Db, actor: Actor, input: { steps: unknown[] }): Promise<Policy> {
  return inTransaction(db, async (trx) => {
    const saved = await setQuotePolicy(trx, actor.companyId, {
      name: 'devis',
      steps: input.steps,
      minBalance: '0.00',
      minDaysBetween: 0,
    });
    await auditBy(trx, actor, 'quote-policy.set', null, { steps: saved.steps.length });
    return saved;
  });
}

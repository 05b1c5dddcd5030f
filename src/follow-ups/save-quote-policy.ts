import type { Policy } from '../domain/dunning/policy.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { setQuotePolicy } from './quote-policy.ts';

/** Sets the quote follow-up policy from its steps (checked as a reminder policy is), with its audit row. */
export async function saveQuotePolicy(db: Db, actor: Actor, input: { steps: unknown[] }): Promise<Policy> {
  return saveWholeQuotePolicy(db, actor, { name: 'devis', steps: input.steps, minBalance: '0.00', minDaysBetween: 0 });
}

/** The same from a whole policy in the dunning format (the command line's file), with the same audit row. */
export async function saveWholeQuotePolicy(db: Db, actor: Actor, json: unknown): Promise<Policy> {
  return inTransaction(db, async (trx) => {
    const saved = await setQuotePolicy(trx, actor.companyId, json);
    await auditBy(trx, actor, 'quote-policy.set', null, { steps: saved.steps.length });
    return saved;
  });
}

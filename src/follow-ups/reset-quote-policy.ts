import type { Policy } from '../domain/dunning/policy.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { setQuotePolicy } from './quote-policy.ts';

/** Goes back to the default quote follow-up policy, with its audit row; returns the policy now in force. */
export async function resetQuotePolicy(db: Db, actor: Actor): Promise<Policy> {
  return inTransaction(db, async (trx) => {
    const saved = await setQuotePolicy(trx, actor.companyId, null);
    await auditBy(trx, actor, 'quote-policy.reset', null);
    return saved;
  });
}

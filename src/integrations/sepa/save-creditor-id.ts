import type { Actor } from '../../shared/actor.ts';
import { auditBy } from '../../storage/audit.ts';
import type { Db } from '../../storage/database.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { setCreditorId } from './mandates.ts';

/** Sets the company's SEPA creditor identifier (ICS), checked, with its audit row; returns it as stored. */
export async function saveCreditorId(db: Db, actor: Actor, input: { creditorId: string }): Promise<string> {
  return inTransaction(db, async (trx) => {
    const creditorId = await setCreditorId(trx, actor.companyId, input.creditorId);
    await auditBy(trx, actor, 'sepa.creditor-id', creditorId);
    return creditorId;
  });
}

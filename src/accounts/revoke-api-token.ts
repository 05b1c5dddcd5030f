import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { revokeApiToken as writeRevoke } from '../storage/users.ts';

/** Revokes an API token of the actor's company at once, with its audit row. */
export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await writeRevoke(trx, actor.companyId, id);
    await auditBy(trx, actor, 'token.revoked', id);
  });
}

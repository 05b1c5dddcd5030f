import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { countAdmins, getMembership, removeMembership } from '../storage/users.ts';

/** Removes a person from the actor's company (ending their sessions and tokens there), keeping at least one admin. */
export async function removeMember(db: Db, actor: Actor, userId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await getMembership(trx, actor.companyId, userId);
    if (current?.role === 'admin' && (await countAdmins(trx, actor.companyId)) <= 1)
      throw new AppError('conflict', 'The company needs at least one admin.', [], {
        key: 'problem.accounts.lastAdmin',
      });
    await removeMembership(trx, actor.companyId, userId);
    await auditBy(trx, actor, 'user.removed', userId);
  });
}

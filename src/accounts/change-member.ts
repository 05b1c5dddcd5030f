import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { countAdmins, getMembership, setMembership } from '../storage/users.ts';
import type { Role } from './roles.ts';

/** Changes a person's role or représentant in the actor's company, keeping at least one admin, with its audit row. */
export async function changeMember(
  db: Db,
  actor: Actor,
  userId: string,
  input: { role?: Role; salesRep?: string | null },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await getMembership(trx, actor.companyId, userId);
    if (!current)
      throw new AppError('not_found', `No user with id ${userId} in this company.`, [], {
        key: 'problem.notFound.member',
        params: { id: userId },
      });
    const role = input.role ?? current.role;
    if (current.role === 'admin' && role !== 'admin' && (await countAdmins(trx, actor.companyId)) <= 1) {
      throw new AppError('conflict', 'The company needs at least one admin.', [], {
        key: 'problem.accounts.lastAdmin',
      });
    }
    await setMembership(trx, actor.companyId, current.userId, {
      role,
      salesRep: input.salesRep === undefined ? current.salesRep : input.salesRep,
    });
    await auditBy(trx, actor, 'user.changed', current.userId, input);
  });
}

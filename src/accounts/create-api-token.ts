import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { issueApiToken } from './auth.ts';

/**
 * Creates an API token acting as a person of the company (the actor by default), with its audit row; the token
 * itself is returned only here, once both are committed.
 */
export async function createApiToken(
  db: Db,
  actor: Actor,
  input: { name: string; userId?: string },
): Promise<{ id: string; name: string; token: string }> {
  const userId = input.userId ?? actor.userId;
  if (userId === null)
    throw new AppError(
      'invalid_input',
      'userId: name the person the token acts as.',
      [{ field: 'body.userId', reason: 'required', code: 'problem.validation.required' }],
      { key: 'problem.accounts.tokenUser' },
    );
  return inTransaction(db, async (trx) => {
    const issued = await issueApiToken(trx, actor.companyId, { userId, name: input.name });
    await auditBy(trx, actor, 'token.created', issued.id, { name: input.name });
    return { id: issued.id, name: input.name, token: issued.token };
  });
}

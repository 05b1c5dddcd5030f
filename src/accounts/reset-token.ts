import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { requestPasswordReset } from './auth.ts';

/**
 * A reset token handed out by whoever runs the installation (the command line, until reset links are e-mailed
 * everywhere), with its audit row: unlike the public request, it names an account that must exist.
 */
export async function issueResetToken(db: Db, actor: Actor, email: string): Promise<{ token: string }> {
  return inTransaction(db, async (trx) => {
    const reset = await requestPasswordReset(trx, email);
    if (!reset)
      throw new AppError('not_found', `No account with e-mail ${email}.`, [], {
        key: 'problem.notFound.account',
        params: { email },
      });
    await auditBy(trx, actor, 'user.reset_token_issued', email);
    return { token: reset.token };
  });
}

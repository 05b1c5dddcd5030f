import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { getOutboxMessage, requeueMessages, type OutboxMessage } from '../storage/outbox.ts';
import { inTransaction } from '../storage/transactions.ts';
import { dispatchAfterQueueing } from './dispatch-after.ts';
import type { DispatchReport } from './dispatch.ts';
import { visibleMessage } from './visible-message.ts';

/**
 * Puts a failed message back in the queue, with its audit row, then dispatches the outbox once (a failure to reach
 * the server is reported, the message stays queued).
 */
export async function retryMessage(
  db: Db,
  actor: Actor,
  id: string,
  options: { dataDir?: string; onError?: (error: unknown) => void } = {},
): Promise<{ message: OutboxMessage; dispatch: DispatchReport }> {
  const messageId = await inTransaction(db, async (trx) => {
    const message = await visibleMessage(trx, actor, id);
    if (message.status !== 'failed') {
      throw new AppError(
        'conflict',
        `Message ${message.id} is ${message.status}; only a failed message can be sent again.`,
        [],
        { key: 'problem.mail.notFailed', params: { id: message.id, status: message.status } },
      );
    }
    // Only a message still failed moves: two clicks cannot queue it twice.
    if ((await requeueMessages(trx, actor.companyId, [message.id])) === 0) {
      throw new AppError('conflict', `Message ${message.id} was already queued again.`, [], {
        key: 'problem.mail.alreadyRequeued',
        params: { id: message.id },
      });
    }
    await auditBy(trx, actor, 'outbox.retry', message.id, { subject: message.subject });
    return message.id;
  });
  const dispatch = await dispatchAfterQueueing(db, actor.companyId, options);
  return { message: await getOutboxMessage(db, actor.companyId, messageId), dispatch };
}

/**
 * `relance outbox --retry`: puts back in the queue those of the given messages that are still failed (the others are
 * left as they are), with one audit row naming them; `relance dispatch` sends them. Returns how many moved.
 */
export async function requeueFailed(db: Db, actor: Actor, ids: string[]): Promise<number> {
  return inTransaction(db, async (trx) => {
    const moved = await requeueMessages(trx, actor.companyId, ids);
    if (moved > 0) await auditBy(trx, actor, 'outbox.retry', null, { ids, requeued: moved });
    return moved;
  });
}

import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import { getReplyRow, refreshUnreadSince, setReplyRead } from '../storage/customer-replies.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * Marks an answer read (or unread again). Once the customer has no unread real answer left, the `reply_unread`
 * hold lifts and the customer's invoices go back to the planner.
 */
export async function markReplyRead(
  db: Db,
  actor: Actor,
  input: { replyId: string; read: boolean },
): Promise<{ id: string; readAt: string | null; unreadSince: string | null }> {
  return inTransaction(db, async (trx) => {
    const row = isId(input.replyId) ? await getReplyRow(trx, actor.companyId, input.replyId) : undefined;
    if (!row)
      throw new AppError('not_found', `No reply with id ${input.replyId}.`, [], {
        key: 'problem.notFound.reply',
        params: { id: input.replyId },
      });
    const customer = await getCustomer(trx, actor.companyId, row.customer_id);
    assertSees(actor, customer, `reply with id ${input.replyId}`);
    const readAt = input.read ? (row.read_at ?? nowIso()) : null;
    await setReplyRead(trx, actor.companyId, row.id, readAt === null ? null : { at: readAt, by: actor.name });
    const unreadSince = await refreshUnreadSince(trx, actor.companyId, customer.id);
    await auditBy(trx, actor, input.read ? 'customer.reply_read' : 'customer.reply_unread', customer.code, {
      replyId: row.id,
    });
    return { id: row.id, readAt, unreadSince };
  });
}

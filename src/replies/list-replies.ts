import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { getCustomer } from '../storage/customers.ts';
import {
  countUnreadReplies,
  getReplyAttachment,
  getReplyRow,
  listReplies,
  type CustomerReply,
} from '../storage/customer-replies.ts';
import type { Db } from '../storage/database.ts';

/** A customer's answers, newest first, for its page. */
export async function customerReplies(db: Db, actor: Actor, customerId: string): Promise<CustomerReply[]> {
  const customer = await getCustomer(db, actor.companyId, customerId);
  assertSees(actor, customer, `customer with id ${customerId}`);
  return listReplies(db, actor.companyId, { customerId: customer.id, limit: 200 });
}

/** The answers waiting to be read, for the dashboard: how many, and the latest ones. */
export async function unreadReplies(
  db: Db,
  actor: Actor,
  limit = 10,
): Promise<{ count: number; replies: CustomerReply[] }> {
  const [count, replies] = await Promise.all([
    countUnreadReplies(db, actor.companyId, actor.salesRep),
    listReplies(db, actor.companyId, { unreadOnly: true, salesRep: actor.salesRep, limit }),
  ]);
  return { count, replies };
}

/** One attachment of an answer, to download. */
export async function replyAttachment(
  db: Db,
  actor: Actor,
  input: { replyId: string; position: number },
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const row = isId(input.replyId) ? await getReplyRow(db, actor.companyId, input.replyId) : undefined;
  if (!row)
    throw new AppError('not_found', `No reply with id ${input.replyId}.`, [], {
      key: 'problem.notFound.reply',
      params: { id: input.replyId },
    });
  assertSees(actor, await getCustomer(db, actor.companyId, row.customer_id), `reply with id ${input.replyId}`);
  const file = await getReplyAttachment(db, actor.companyId, row.id, input.position);
  if (!file)
    throw new AppError('not_found', `No attachment ${input.position} on reply ${input.replyId}.`, [], {
      key: 'problem.notFound.replyAttachment',
      params: { position: input.position, id: input.replyId },
    });
  return file;
}

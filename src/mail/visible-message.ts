import { AppError } from '../shared/errors.ts';
import { assertSees } from '../shared/actor.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getOutboxMessage, type OutboxMessage } from '../storage/outbox.ts';

/**
 * An outbox message, provided the caller may see its customer: a restricted collector sees neither another
 * représentant's messages nor those addressed to no customer (tests, simulations).
 */
export async function visibleMessage(
  db: Db,
  who: { companyId: string; salesRep: string | null },
  id: string,
): Promise<OutboxMessage> {
  const message = await getOutboxMessage(db, who.companyId, id);
  if (who.salesRep !== null) {
    if (message.customerId === null)
      throw new AppError('not_found', `No message with id ${id}.`, [], {
        key: 'problem.notFound.message',
        params: { id },
      });
    assertSees(
      { ...who, userId: null, name: '' },
      await getCustomer(db, who.companyId, message.customerId),
      `message with id ${id}`,
    );
  }
  return message;
}

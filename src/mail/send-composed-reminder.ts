import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { dispatchAfterQueueing } from './dispatch-after.ts';
import type { DispatchReport } from './dispatch.ts';
import { sendManualReminder, type ManualReminder, type ManualReminderOptions } from './manual.ts';

/**
 * The composer's "send": a reminder for invoices of a customer the actor sees, recorded and queued with its audit
 * row in one transaction, then one dispatch of the outbox once committed (a failure to reach the server is reported; the message stays queued).
 */
export async function sendComposedReminder(
  db: Db,
  actor: Actor,
  input: ManualReminderOptions,
  options: { dataDir?: string; onError?: (error: unknown) => void } = {},
): Promise<ManualReminder & { dispatch: DispatchReport }> {
  const { customerId, invoiceIds } = input;
  assertSees(actor, await getCustomer(db, actor.companyId, customerId), `customer with id ${customerId}`);
  const malformed = invoiceIds.find((id) => !isId(id));
  if (malformed !== undefined)
    throw new AppError('not_found', `No invoice with id ${malformed}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: malformed },
    });
  const sent = await inTransaction(db, async (trx) => {
    const recorded = await sendManualReminder(trx, actor.companyId, input);
    await auditBy(trx, actor, 'reminder.manual', recorded.communicationId, {
      level: recorded.level,
      invoices: invoiceIds.length,
      to: recorded.message.to,
    });
    return recorded;
  });
  return { ...sent, dispatch: await dispatchAfterQueueing(db, actor.companyId, options) };
}

import { AppError } from '../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { removePayment } from '../storage/allocations.ts';
import { recordAudit } from '../storage/audit.ts';
import { remittanceNumberOf } from '../storage/cheque-remittances.ts';
import type { Db } from '../storage/database.ts';
import { getPayment } from '../storage/settlements.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * Removes a payment recorded by mistake (the invoices owe again what it paid), with its audit row. A cheque
 * already taken to the bank on a remittance slip stays: the slip the bank stamped lists it.
 */
export async function deletePayment(db: Db, actor: Actor, paymentId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const payment = await getPayment(trx, actor.companyId, paymentId);
    if (!payment)
      throw new AppError('not_found', `No payment with id ${paymentId}.`, [], {
        key: 'problem.notFound.payment',
        params: { id: paymentId },
      });
    const slip = await remittanceNumberOf(trx, actor.companyId, payment.id);
    if (slip !== null)
      throw new AppError(
        'conflict',
        `This cheque is on remittance slip no. ${slip}, already given to the bank; it cannot be removed.`,
        [],
        { key: 'problem.cheques.remitted', params: { slip } },
      );
    await removePayment(trx, actor.companyId, payment.id);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'payment.deleted',
      target: payment.id,
      details: { amount: payment.amount, currency: payment.currency },
    });
  });
}

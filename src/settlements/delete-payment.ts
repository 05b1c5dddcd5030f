import { AppError } from '../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { removePayment } from '../storage/allocations.ts';
import { recordAudit } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { getPayment } from '../storage/settlements.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Removes a payment recorded by mistake (the invoices owe again what it paid), with its audit row. */
export async function deletePayment(db: Db, actor: Actor, paymentId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const payment = await getPayment(trx, actor.companyId, paymentId);
    if (!payment) throw new AppError('not_found', `No payment with id ${paymentId}.`);
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

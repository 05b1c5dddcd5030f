import type { Payment } from '../domain/ledger.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { insertPayment, type PaymentInput } from '../storage/allocations.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { announcePaid } from './announce-paid.ts';

export type { PaymentInput } from '../storage/allocations.ts';

/**
 * The payment written with its allocations and `invoice.paid` for each invoice it settles, in the caller's
 * transaction, without an audit row: for an import, which records one audit row for the whole file.
 */
export async function writePayment(db: Db, actor: Actor, input: PaymentInput): Promise<Payment> {
  return inTransaction(db, async (trx) => {
    // Read even for an actor who sees every customer: an id of another company must be refused as unknown.
    const customer = await getCustomer(trx, actor.companyId, input.customerId);
    assertSees(actor, customer, `customer with id ${input.customerId}`);
    const payment = await insertPayment(trx, actor.companyId, input);
    await announcePaid(
      trx,
      actor.companyId,
      input.allocations.map((a) => a.invoiceId),
    );
    return payment;
  });
}

/**
 * Records an encaissement and allocates it to invoices (the rest stays as the customer's credit), with its
 * webhooks and its audit row in one transaction. `action` names the audit entry (`payment.incoming` for one
 * pushed by an accounting tool).
 */
export async function recordPayment(
  db: Db,
  actor: Actor,
  input: PaymentInput,
  action = 'payment.recorded',
): Promise<Payment> {
  return inTransaction(db, async (trx) => {
    const payment = await writePayment(trx, actor, input);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action,
      target: payment.id,
      details: { amount: payment.amount, currency: payment.currency, reference: payment.reference },
    });
    return payment;
  });
}

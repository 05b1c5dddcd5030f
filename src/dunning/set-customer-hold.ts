import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer, getCustomerByCode, getCustomerHold } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { setCustomerDunning } from '../storage/dunning.ts';
import { inTransaction } from '../storage/transactions.ts';
import { setCustomerLawByCode } from './customer-law.ts';

/** What changes: a field left undefined stays as it is, null clears it. */
export type CustomerHoldInput = {
  pausedUntil?: string | null;
  blockedReason?: string | null;
  policy?: string | null;
  law?: string | null;
};

export type CustomerHold = Awaited<ReturnType<typeof getCustomerHold>>;

/**
 * Pauses, blocks or gives a customer its own policy or "loi applicable", with its audit row; its invoices go back to
 * the engine. The customer is named by id (API) or by code (command line).
 */
export async function setCustomerHold(
  db: Db,
  actor: Actor,
  which: { id: string } | { code: string },
  input: CustomerHoldInput,
): Promise<CustomerHold> {
  return inTransaction(db, async (trx) => {
    const customer =
      'id' in which
        ? await getCustomer(trx, actor.companyId, which.id)
        : await getCustomerByCode(trx, actor.companyId, which.code);
    assertSees(actor, customer, 'id' in which ? `customer with id ${which.id}` : `customer with code ${which.code}`);
    await setCustomerDunning(trx, actor.companyId, customer.code, {
      pausedUntil: input.pausedUntil,
      blockedReason: input.blockedReason,
      policyName: input.policy,
    });
    if (input.law !== undefined) await setCustomerLawByCode(trx, actor.companyId, customer.code, input.law);
    await auditBy(trx, actor, 'customer.hold', customer.code, input);
    return getCustomerHold(trx, actor.companyId, customer.id);
  });
}

import { assertSees, type Actor } from '../../shared/actor.ts';
import { auditBy } from '../../storage/audit.ts';
import { getCustomerByCode } from '../../storage/customers.ts';
import type { Db } from '../../storage/database.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { addMandate, type Mandate, type MandateInput } from './mandates.ts';

/** Records the signed mandate (RUM, IBAN, date of signature) of a customer the actor sees, with its audit row. */
export async function recordMandate(db: Db, actor: Actor, input: MandateInput): Promise<Mandate> {
  return inTransaction(db, async (trx) => {
    const customer = await getCustomerByCode(trx, actor.companyId, input.customerCode);
    assertSees(actor, customer, `customer ${input.customerCode}`);
    const added = await addMandate(trx, actor.companyId, { ...input, bic: input.bic || null });
    await auditBy(trx, actor, 'sepa.mandate.added', added.reference, { customer: added.customerCode });
    return added;
  });
}

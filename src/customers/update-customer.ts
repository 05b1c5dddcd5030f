import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Customer } from '../domain/ledger.ts';
import { getCustomer, updateCustomer as writeCustomer, type CustomerInput } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/** What a change may hold: only the fields given change; the address is merged field by field. */
export type CustomerPatch = Partial<Omit<CustomerInput, 'address'>> & { address?: Partial<CustomerInput['address']> };

/**
 * Changes the fields given of a customer the actor sees, with its audit row naming the fields; a restricted
 * collector cannot hand the customer to another représentant.
 */
export async function updateCustomer(db: Db, actor: Actor, id: string, patch: CustomerPatch): Promise<Customer> {
  return inTransaction(db, async (trx) => {
    assertSees(actor, await getCustomer(trx, actor.companyId, id), `customer with id ${id}`);
    const body = actor.salesRep !== null ? { ...patch, salesRep: actor.salesRep } : patch;
    const updated = await writeCustomer(trx, actor.companyId, id, body as Partial<CustomerInput>);
    await auditBy(trx, actor, 'customer.updated', updated.code, { fields: Object.keys(patch) });
    return updated;
  });
}

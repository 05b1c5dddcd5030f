import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Customer } from '../domain/ledger.ts';
import { createCustomer as insertCustomer, type CustomerInput } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Creates a customer with its audit row; a restricted collector creates customers for its own représentant only. */
export async function createCustomer(db: Db, actor: Actor, input: CustomerInput): Promise<Customer> {
  const own = actor.salesRep !== null ? { ...input, salesRep: actor.salesRep } : input;
  return inTransaction(db, async (trx) => {
    const created = await insertCustomer(trx, actor.companyId, own);
    await auditBy(trx, actor, 'customer.created', created.code);
    return created;
  });
}

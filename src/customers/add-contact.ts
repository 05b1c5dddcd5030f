import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Contact } from '../domain/ledger.ts';
import { addContact as insertContact, getCustomer, type ContactInput } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Adds a contact to a customer the actor sees (a primary one demotes the previous), with its audit row. */
export async function addContact(db: Db, actor: Actor, customerId: string, input: ContactInput): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const customer = await getCustomer(trx, actor.companyId, customerId);
    assertSees(actor, customer, `customer with id ${customerId}`);
    const added = await insertContact(trx, actor.companyId, customer.id, input);
    await auditBy(trx, actor, 'contact.added', customer.code, { email: added.email });
    return added;
  });
}

import type { Contact } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCustomer, removeContact, updateContact } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { Actor } from './activities.ts';

export type ContactPatch = {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  role?: string | null;
  isPrimary?: boolean;
};

async function visible(db: Db, actor: Actor, customerId: string) {
  const customer = await getCustomer(db, actor.companyId, customerId);
  if (actor.salesRep !== null && customer.salesRep !== actor.salesRep)
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  return customer;
}

/** Changes a contact where it is shown: a bounced address replaced by a good one is used again at the next reminder. */
export async function changeContact(
  db: Db,
  actor: Actor,
  customerId: string,
  contactId: string,
  patch: ContactPatch,
): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const customer = await visible(trx, actor, customerId);
    const contact = await updateContact(trx, actor.companyId, customer.id, contactId, patch);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'contact.updated',
      target: customer.code,
      details: { contactId, fields: Object.keys(patch) },
    });
    return contact;
  });
}

export async function deleteContact(db: Db, actor: Actor, customerId: string, contactId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const customer = await visible(trx, actor, customerId);
    await removeContact(trx, actor.companyId, customer.id, contactId);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'contact.removed',
      target: customer.code,
      details: { contactId },
    });
  });
}

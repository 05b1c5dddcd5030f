import type { Contact, Customer } from '../domain/ledger.ts';
import { assertSees } from '../shared/actor.ts';
import type { Viewer } from '../shared/viewer.ts';
import type { Db } from '../storage/database.ts';
import {
  getCustomer,
  getCustomerHold,
  listContacts,
  listCustomers,
  type CustomerListItem,
} from '../storage/customers.ts';

const seer = (who: Viewer) => ({ ...who, userId: null, name: '' });

/**
 * One page of customers by code, after the code given; a collector restricted to a représentant sees only its
 * own, and asking for another's gets an empty page. `more` tells that another page follows.
 */
export async function listVisibleCustomers(
  db: Db,
  who: Viewer,
  query: { search?: string; salesRep?: string; afterCode?: string; limit: number },
): Promise<{ items: CustomerListItem[]; more: boolean }> {
  if (who.salesRep !== null && query.salesRep !== undefined && query.salesRep !== who.salesRep)
    return { items: [], more: false };
  const rows = await listCustomers(db, who.companyId, {
    search: query.search,
    salesRep: who.salesRep ?? query.salesRep,
    afterCode: query.afterCode,
    limit: query.limit + 1,
  });
  return { items: rows.slice(0, query.limit), more: rows.length > query.limit };
}

export type CustomerDetail = Customer & {
  contacts: Contact[];
  dunning: Awaited<ReturnType<typeof getCustomerHold>>;
};

/** A customer the viewer may see, with its contacts and its dunning settings. */
export async function customerDetail(db: Db, who: Viewer, id: string): Promise<CustomerDetail> {
  const customer = await getCustomer(db, who.companyId, id);
  assertSees(seer(who), customer, `customer with id ${id}`);
  return {
    ...customer,
    contacts: await listContacts(db, who.companyId, customer.id),
    dunning: await getCustomerHold(db, who.companyId, customer.id),
  };
}

/** The contacts of a customer the viewer may see, primary first. */
export async function customerContacts(db: Db, who: Viewer, id: string): Promise<Contact[]> {
  assertSees(seer(who), await getCustomer(db, who.companyId, id), `customer with id ${id}`);
  return listContacts(db, who.companyId, id);
}

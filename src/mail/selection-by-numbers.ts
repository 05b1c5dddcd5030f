import { assertSees } from '../shared/actor.ts';
import type { Viewer } from '../shared/viewer.ts';
import { getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { invoiceIdsByNumbers } from '../storage/invoices.ts';

/**
 * A customer and its invoices named as people name them (the customer's code, the invoice numbers), as the ids a
 * manual reminder takes; a number that is not one of the customer's invoices is refused, naming it.
 */
export async function selectionByNumbers(
  db: Db,
  who: Viewer,
  customerCode: string,
  numbers: string[],
): Promise<{ customerId: string; invoiceIds: string[] }> {
  const customer = await getCustomerByCode(db, who.companyId, customerCode);
  assertSees({ ...who, userId: null, name: '' }, customer, `customer with code ${customerCode}`);
  return { customerId: customer.id, invoiceIds: await invoiceIdsByNumbers(db, who.companyId, customer.id, numbers) };
}

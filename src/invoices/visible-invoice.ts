import type { Invoice } from '../domain/ledger.ts';
import { assertSees } from '../shared/actor.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getInvoice } from '../storage/invoices.ts';

/** The invoice, provided the caller may see its customer; otherwise it does not exist for them. */
export async function visibleInvoice(
  db: Db,
  who: { companyId: string; salesRep: string | null },
  id: string,
): Promise<Invoice> {
  const invoice = await getInvoice(db, who.companyId, id);
  if (who.salesRep !== null)
    assertSees(
      { ...who, userId: null, name: '' },
      await getCustomer(db, who.companyId, invoice.customerId),
      `invoice with id ${id}`,
    );
  return invoice;
}

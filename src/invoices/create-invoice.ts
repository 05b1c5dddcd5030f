import type { Invoice } from '../domain/ledger.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { createInvoice as insertInvoice, type InvoiceInput } from '../storage/invoices.ts';
import { inTransaction } from '../storage/transactions.ts';

export type NewInvoice = Omit<InvoiceInput, 'salesRep'> & { customerId: string; salesRep: string | null };

/** Creates an invoice for a customer the actor sees, with its audit row; the représentant defaults to the customer's. */
export async function createInvoice(db: Db, actor: Actor, input: NewInvoice): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const customer = await getCustomer(trx, actor.companyId, input.customerId);
    assertSees(actor, customer, `customer with id ${input.customerId}`);
    const { customerId: _c, ...rest } = input;
    const created = await insertInvoice(trx, actor.companyId, customer.id, {
      ...rest,
      salesRep: rest.salesRep ?? customer.salesRep,
    });
    await auditBy(trx, actor, 'invoice.created', created.number);
    return created;
  });
}

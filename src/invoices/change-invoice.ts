import type { Invoice } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { getInvoice } from '../storage/invoices.ts';
import { inTransaction } from '../storage/transactions.ts';
import { visibleInvoice } from './visible-invoice.ts';

/**
 * The common shape of an invoice's follow-up changes: the invoice must be visible to the actor, the change and its
 * audit row (the request as details) are committed together, and the invoice is read back as it now is.
 */
export async function changeInvoice(
  db: Db,
  actor: Actor,
  id: string,
  action: string,
  details: unknown,
  apply: (trx: Db, invoice: Invoice) => Promise<unknown>,
): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const invoice = await visibleInvoice(trx, actor, id);
    await apply(trx, invoice);
    await auditBy(trx, actor, action, invoice.number, details);
    return getInvoice(trx, actor.companyId, invoice.id);
  });
}

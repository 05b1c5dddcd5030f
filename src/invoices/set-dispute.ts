import type { Invoice } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { setDispute as writeDispute } from '../storage/invoices.ts';
import { changeInvoice } from './change-invoice.ts';

/** Marks an invoice disputed with a reason (no reminder while disputed), or clears the dispute with null. */
export function setDispute(db: Db, actor: Actor, id: string, input: { reason: string | null }): Promise<Invoice> {
  return changeInvoice(db, actor, id, 'invoice.dispute', input, (trx, invoice) =>
    writeDispute(trx, actor.companyId, invoice.number, input.reason),
  );
}

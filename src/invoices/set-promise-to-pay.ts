import type { Invoice } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { setPromiseToPay as writePromise } from '../storage/invoices.ts';
import { changeInvoice } from './change-invoice.ts';

/** Records the customer's promise to pay by a date (no reminder until then), or clears it with null. */
export function setPromiseToPay(db: Db, actor: Actor, id: string, input: { date: string | null }): Promise<Invoice> {
  return changeInvoice(db, actor, id, 'invoice.promise', input, (trx, invoice) =>
    writePromise(trx, actor.companyId, invoice.number, input.date),
  );
}

import type { Invoice } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { cancelInvoice as writeCancel } from '../storage/invoices.ts';
import { changeInvoice } from './change-invoice.ts';

/** Cancels an invoice that has no payment or credit note allocated. */
export function cancelInvoice(db: Db, actor: Actor, id: string, input: Record<string, never> = {}): Promise<Invoice> {
  return changeInvoice(db, actor, id, 'invoice.cancelled', input, (trx, invoice) =>
    writeCancel(trx, actor.companyId, invoice.number),
  );
}

import type { Instalment, Invoice } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { setPaymentSchedule as writeSchedule } from '../storage/quotes.ts';
import { changeInvoice } from './change-invoice.ts';

/** Splits an invoice's balance into instalments (échéancier). */
export function setPaymentSchedule(
  db: Db,
  actor: Actor,
  id: string,
  input: { instalments: Instalment[] },
): Promise<Invoice> {
  return changeInvoice(db, actor, id, 'invoice.schedule', input, (trx, invoice) =>
    writeSchedule(trx, actor.companyId, invoice.id, input.instalments),
  );
}

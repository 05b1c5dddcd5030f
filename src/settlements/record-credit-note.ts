import type { CreditNote } from '../domain/ledger.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { insertCreditNote, type CreditNoteInput } from '../storage/allocations.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { announcePaid } from './announce-paid.ts';

export type { CreditNoteInput } from '../storage/allocations.ts';

/** The credit note written with its allocations and `invoice.paid` for each invoice it settles; no audit row (imports). */
export async function writeCreditNote(db: Db, actor: Actor, input: CreditNoteInput): Promise<CreditNote> {
  return inTransaction(db, async (trx) => {
    // Read even for an actor who sees every customer: an id of another company must be refused as unknown.
    const customer = await getCustomer(trx, actor.companyId, input.customerId);
    assertSees(actor, customer, `customer with id ${input.customerId}`);
    const note = await insertCreditNote(trx, actor.companyId, input);
    await announcePaid(
      trx,
      actor.companyId,
      input.allocations.map((a) => a.invoiceId),
    );
    return note;
  });
}

/** Records an avoir and allocates it to invoices, with its webhooks and its audit row in one transaction. */
export async function recordCreditNote(db: Db, actor: Actor, input: CreditNoteInput): Promise<CreditNote> {
  return inTransaction(db, async (trx) => {
    const note = await writeCreditNote(trx, actor, input);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'credit_note.recorded',
      target: note.number,
      details: { total: note.total, currency: note.currency },
    });
    return note;
  });
}

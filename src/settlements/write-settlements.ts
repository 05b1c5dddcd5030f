import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { insertSettlements, type SettlementBatch, type WrittenSettlements } from '../storage/bulk-settlements.ts';
import type { Db } from '../storage/database.ts';
import { inIds } from '../storage/in-list.ts';
import { inTransaction } from '../storage/transactions.ts';
import { announcePaid } from './announce-paid.ts';

/**
 * writePayment and writeCreditNote for a whole file (FEC, bank statement): the same checks, rows, allocations and
 * `invoice.paid` events, in a fixed number of statements instead of several a settlement; no audit row (the
 * import writes one for the file). All or nothing: the first refusal leaves nothing written.
 */
export async function writeSettlements(db: Db, actor: Actor, batch: SettlementBatch): Promise<WrittenSettlements> {
  if (batch.payments.length === 0 && batch.creditNotes.length === 0) return { payments: [], creditNotes: [] };
  return inTransaction(db, async (trx) => {
    const ids = [...new Set([...batch.payments, ...batch.creditNotes].map((s) => s.customerId))];
    const customers = new Map(
      (
        await trx
          .selectFrom('customers')
          .select(['id', 'sales_rep'])
          .where('company_id', '=', actor.companyId)
          .where(inIds(trx, 'id', ids))
          .execute()
      ).map((c) => [c.id, { salesRep: c.sales_rep }]),
    );
    // An id of another company, or one this actor may not see, is refused as unknown, as getCustomer would.
    for (const id of ids) {
      const customer = customers.get(id);
      if (!isId(id) || !customer)
        throw new AppError('not_found', `No customer with id ${id}.`, [], {
          key: 'problem.notFound.customer',
          params: { id },
        });
      assertSees(actor, customer, `customer with id ${id}`);
    }
    const written = await insertSettlements(trx, actor.companyId, batch);
    await announcePaid(
      trx,
      actor.companyId,
      [...batch.payments, ...batch.creditNotes].flatMap((s) => s.allocations.map((a) => a.invoiceId)),
    );
    return written;
  });
}

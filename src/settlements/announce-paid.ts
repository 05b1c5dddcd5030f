import type { Db } from '../storage/database.ts';
import { invoicesByIds } from '../storage/invoices.ts';
import { enqueueEvent } from '../storage/webhooks.ts';

/**
 * Queues `invoice.paid` for each of these invoices that is now settled, in the caller's transaction. Call it with
 * the invoices a change has just allocated to: an allocation is refused on a settled invoice, so an invoice found
 * settled here became so through this change, and each settlement is announced exactly once, whatever its source.
 */
export async function announcePaid(db: Db, companyId: string, invoiceIds: Iterable<string>): Promise<number> {
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return 0;
  let queued = 0;
  for (const invoice of await invoicesByIds(db, companyId, ids)) {
    if (invoice.allocated < invoice.total) continue;
    await enqueueEvent(db, companyId, 'invoice.paid', {
      invoiceId: invoice.id,
      number: invoice.number,
      total: invoice.total,
      currency: invoice.currency,
    });
    queued++;
  }
  return queued;
}

import type { Db } from '../storage/database.ts';
import { invoicesByIds } from '../storage/invoices.ts';
import { enqueueEvents } from '../storage/webhooks.ts';

/**
 * Queues `invoice.paid` for each of these invoices that is now settled, in the caller's transaction. Call it with
 * the invoices a change has just allocated to: an allocation is refused on a settled invoice, so an invoice found
 * settled here became so through this change, and each settlement is announced exactly once, whatever its source.
 */
export async function announcePaid(db: Db, companyId: string, invoiceIds: Iterable<string>): Promise<number> {
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return 0;
  const settled = (await invoicesByIds(db, companyId, ids))
    .filter((invoice) => invoice.allocated >= invoice.total)
    .map((invoice) => ({
      invoiceId: invoice.id,
      number: invoice.number,
      total: invoice.total,
      currency: invoice.currency,
    }));
  await enqueueEvents(db, companyId, 'invoice.paid', settled);
  return settled.length;
}

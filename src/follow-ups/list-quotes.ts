import type { QuoteStatus } from '../domain/ledger.ts';
import type { Viewer } from '../shared/viewer.ts';
import type { Db } from '../storage/database.ts';
import { listQuotes, type QuoteListItem } from '../storage/quotes.ts';

/** The quotes of the customers the viewer may see, in one status or all. */
export async function listVisibleQuotes(
  db: Db,
  who: Viewer,
  filter: { status?: QuoteStatus },
): Promise<QuoteListItem[]> {
  return listQuotes(db, who.companyId, { status: filter.status, salesRep: who.salesRep ?? undefined });
}

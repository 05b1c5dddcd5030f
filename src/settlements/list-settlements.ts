import type { CreditNote } from '../domain/ledger.ts';
import type { Viewer } from '../shared/viewer.ts';
import type { Db } from '../storage/database.ts';
import {
  listCreditNotes,
  listPayments,
  type PaymentFilter,
  type PaymentListItem,
  type SettlementFilter,
} from '../storage/settlements.ts';

export type SettlementPage<T> = { items: T[]; nextCursor: string | null };

type PageQuery = { cursor?: string; limit: number };

/** Reads one more row than the page holds, to tell whether another page follows; the cursor is the last id. */
function pageOf<T extends { id: string }>(rows: T[], limit: number): SettlementPage<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** One page of payments, newest first, of the customers the viewer may see. */
export async function listPaymentPage(
  db: Db,
  who: Viewer,
  query: Omit<PaymentFilter, 'before' | 'limit' | 'customerSalesRep'> & PageQuery,
): Promise<SettlementPage<PaymentListItem>> {
  const { cursor, limit, ...filter } = query;
  const rows = await listPayments(db, who.companyId, {
    ...filter,
    before: cursor,
    limit: limit + 1,
    customerSalesRep: who.salesRep ?? undefined,
  });
  return pageOf(rows, limit);
}

/** One page of credit notes, newest first, of the customers the viewer may see. */
export async function listCreditNotePage(
  db: Db,
  who: Viewer,
  query: Omit<SettlementFilter, 'before' | 'limit' | 'customerSalesRep'> & PageQuery,
): Promise<SettlementPage<CreditNote>> {
  const { cursor, limit, ...filter } = query;
  const rows = await listCreditNotes(db, who.companyId, {
    ...filter,
    before: cursor,
    limit: limit + 1,
    customerSalesRep: who.salesRep ?? undefined,
  });
  return pageOf(rows, limit);
}

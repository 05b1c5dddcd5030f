import type { Db } from '../storage/database.ts';
import { countOutbox, listOutboxPage, type OutboxMessage } from '../storage/outbox.ts';
import type { OutboxStatus } from '../storage/schema.ts';

export type OutboxQuery = {
  status?: OutboxStatus;
  limit: number;
  /** The last message of the previous page: the page holds those created before it. */
  before?: { createdAt: string; id: string };
};

export type OutboxPage = {
  items: OutboxMessage[];
  /** Whether older messages follow the last one. */
  more: boolean;
  /** Per status, for the whole company; null for a collector restricted to a représentant. */
  counts: Record<OutboxStatus, number> | null;
};

/**
 * One page of the outbox, newest first, as the caller may see it: a collector restricted to a représentant sees
 * only the messages of that représentant's customers, and no counts, since the company's counts would tell it
 * about the others' customers.
 */
export async function listOutboxMessages(
  db: Db,
  who: { companyId: string; salesRep: string | null },
  query: OutboxQuery,
): Promise<OutboxPage> {
  const rows = await listOutboxPage(db, who.companyId, {
    status: query.status,
    limit: query.limit + 1,
    customerSalesRep: who.salesRep ?? undefined,
    before: query.before,
  });
  const counts = who.salesRep === null ? await countOutbox(db, who.companyId) : null;
  return { items: rows.slice(0, query.limit), more: rows.length > query.limit, counts };
}

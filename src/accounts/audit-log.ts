import type { Db } from '../storage/database.ts';
import { listAudit, type AuditEntry } from '../storage/audit.ts';

export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };

/** One page of the audit log, newest first; the cursor is the last entry's id (ids are time-ordered). */
export async function listAuditLog(
  db: Db,
  companyId: string,
  query: { action?: string; before?: string; limit: number },
): Promise<AuditPage> {
  const rows = await listAudit(db, companyId, { action: query.action, limit: query.limit + 1, before: query.before });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

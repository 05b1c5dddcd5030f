import type { Actor } from '../shared/actor.ts';
import { newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';

/** Who changed a policy, a setting or a user, who sent what, and when: written in the same transaction as the change. */
export type AuditEntry = {
  id: string;
  at: string;
  userId: string | null;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
};

export type AuditInput = {
  userId: string | null;
  actor: string;
  action: string;
  target?: string | null;
  details?: unknown;
};

export async function recordAudit(db: Db, companyId: string, input: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      company_id: companyId,
      id: newId(),
      at: nowIso(),
      user_id: input.userId,
      actor: input.actor,
      action: input.action,
      target: input.target ?? null,
      details: input.details === undefined ? null : JSON.stringify(input.details),
    })
    .execute();
}

/** Newest first, keyset-paginated on the (time-ordered) id. */
export async function listAudit(
  db: Db,
  companyId: string,
  filter: { action?: string; before?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.before) query = query.where('id', '<', filter.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: r.details === null ? null : JSON.parse(r.details),
  }));
}

/** The audit row of a change made by `actor`, written with the caller's handle (the change's transaction). */
export async function auditBy(
  db: Db,
  actor: Actor,
  action: string,
  target: string | null,
  details?: unknown,
): Promise<void> {
  await recordAudit(db, actor.companyId, { userId: actor.userId, actor: actor.name, action, target, details });
}

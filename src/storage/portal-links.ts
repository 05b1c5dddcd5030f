import { newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';
import type { PortalLinkRow } from './schema.ts';
import { inIds } from './in-list.ts';

export type PortalLink = {
  id: string;
  customerId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

function toLink(
  r: Pick<
    PortalLinkRow,
    'id' | 'customer_id' | 'token_hash' | 'created_at' | 'expires_at' | 'revoked_at' | 'last_used_at'
  >,
): PortalLink {
  return {
    id: r.id,
    customerId: r.customer_id,
    tokenHash: r.token_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

const COLUMNS = ['id', 'customer_id', 'token_hash', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

export async function insertPortalLink(
  db: Db,
  companyId: string,
  input: { id?: string; customerId: string; tokenHash: string; expiresAt: string; createdBy: string | null },
): Promise<string> {
  const id = input.id ?? newId();
  await db
    .insertInto('portal_links')
    .values({
      company_id: companyId,
      id,
      customer_id: input.customerId,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      created_at: nowIso(),
      expires_at: input.expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  return id;
}

/** Each customer's newest link still valid after `until` and not revoked. */
export async function liveLinks(
  db: Db,
  companyId: string,
  customerIds: string[],
  until: string,
): Promise<Map<string, PortalLink>> {
  const links = new Map<string, PortalLink>();
  if (customerIds.length === 0) return links;
  const rows = await db
    .selectFrom('portal_links')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where(inIds(db, 'customer_id', customerIds))
    .where('expires_at', '>', until)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'asc')
    .execute();
  // Oldest first, so that the newest valid link of a customer is the one kept.
  for (const row of rows) links.set(row.customer_id, toLink(row));
  return links;
}

export async function listPortalLinks(db: Db, companyId: string, customerId: string): Promise<PortalLink[]> {
  const rows = await db
    .selectFrom('portal_links')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toLink);
}

/** Revokes every link of the customer not revoked yet; returns how many. */
export async function revokeCustomerLinks(db: Db, companyId: string, customerId: string): Promise<number> {
  const result = await db
    .updateTable('portal_links')
    .set({ revoked_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function touchPortalLink(db: Db, companyId: string, id: string): Promise<void> {
  await db
    .updateTable('portal_links')
    .set({ last_used_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

import { isId, newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';
import type { Role } from './users.ts';

/** An invitation as its addressee sees it: which company, which role. */
export type Invitation = {
  id: string;
  companyId: string;
  legalName: string;
  role: Role;
  salesRep: string | null;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
};

/** Replaces any pending invitation of the same account to the same company (the last one says the role). */
export async function upsertInvitation(
  db: Db,
  companyId: string,
  input: { userId: string; role: Role; salesRep: string | null; invitedBy: string; expiresAt: string },
): Promise<string> {
  await db.deleteFrom('invitations').where('company_id', '=', companyId).where('user_id', '=', input.userId).execute();
  const id = newId();
  await db
    .insertInto('invitations')
    .values({
      company_id: companyId,
      id,
      user_id: input.userId,
      role: input.role,
      sales_rep: input.salesRep,
      invited_by: input.invitedBy,
      created_at: nowIso(),
      expires_at: input.expiresAt,
    })
    .execute();
  return id;
}

export async function listUserInvitations(db: Db, userId: string, now: string): Promise<Invitation[]> {
  const rows = await db
    .selectFrom('invitations as i')
    .innerJoin('companies as c', 'c.id', 'i.company_id')
    .select([
      'i.id',
      'i.company_id',
      'c.legal_name',
      'i.role',
      'i.sales_rep',
      'i.invited_by',
      'i.created_at',
      'i.expires_at',
    ])
    .where('i.user_id', '=', userId)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    companyId: r.company_id,
    legalName: r.legal_name,
    role: r.role,
    salesRep: r.sales_rep,
    invitedBy: r.invited_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

/** Removes the account's invitation and returns it, once (two concurrent accepts: one wins). */
export async function takeInvitation(
  db: Db,
  userId: string,
  id: string,
  now: string,
): Promise<{ companyId: string; role: Role; salesRep: string | null } | null> {
  if (!isId(id)) return null;
  const row = await db
    .selectFrom('invitations')
    .select(['company_id', 'role', 'sales_rep'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  const gone = await db
    .deleteFrom('invitations')
    .where('company_id', '=', row.company_id)
    .where('id', '=', id)
    .executeTakeFirst();
  return gone.numDeletedRows === 0n ? null : { companyId: row.company_id, role: row.role, salesRep: row.sales_rep };
}

export async function deleteInvitation(db: Db, userId: string, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  const gone = await db.deleteFrom('invitations').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return gone.numDeletedRows > 0n;
}

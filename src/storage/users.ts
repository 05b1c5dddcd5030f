import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { insertUnique, nowIso, type Db } from './database.ts';
import type { MembershipRow, SessionRow } from './schema.ts';

/**
 * Users, memberships, sessions, API tokens and password resets. Users are global (one person may work
 * for several companies); every other lookup that reaches company data goes through a membership, so a
 * user of one company can never act in another.
 */
export type Role = MembershipRow['role'];
export type User = { id: string; email: string; name: string | null };
export type UserCredentials = User & {
  passwordHash: string | null;
  failedLogins: number;
  lockedUntil: string | null;
  installationAdmin: boolean;
};
export type Membership = { companyId: string; userId: string; role: Role; salesRep: string | null };
export type Member = Membership & { email: string; name: string | null };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(
  db: Db,
  input: { email: string; name?: string | null; passwordHash: string | null },
): Promise<User> {
  const now = nowIso();
  const row = {
    id: newId(),
    email: normaliseEmail(input.email),
    name: input.name ?? null,
    password_hash: input.passwordHash,
    failed_logins: 0,
    locked_until: null,
    created_at: now,
    updated_at: now,
  };
  await insertUnique(
    () => db.insertInto('users').values(row).execute(),
    `A user with e-mail ${row.email} already exists.`,
    { key: 'problem.customers.userExists', params: { email: row.email } },
  );
  return { id: row.id, email: row.email, name: row.name };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserCredentials | null> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return row
    ? {
        id: row.id,
        email: row.email,
        name: row.name,
        passwordHash: row.password_hash,
        failedLogins: row.failed_logins,
        lockedUntil: row.locked_until,
        installationAdmin: Number(row.installation_admin) === 1,
      }
    : null;
}

export async function getUser(db: Db, userId: string): Promise<User> {
  const row = isId(userId)
    ? await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', userId).executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('not_found', `No user with id ${userId}.`, [], {
      key: 'problem.notFound.user',
      params: { id: userId },
    });
  return row;
}

export async function getPasswordHash(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function setPasswordHash(db: Db, userId: string, hash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: nowIso() })
    .where('id', '=', userId)
    .execute();
}

/** Counts a failed login in one statement (no lost update between two attempts); returns the new count. */
export async function recordLoginFailure(
  db: Db,
  userId: string,
  lockAfter: number,
  lockUntil: string,
): Promise<number> {
  await db
    .updateTable('users')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', userId)
    .execute();
  await db
    .updateTable('users')
    .set({ locked_until: lockUntil, failed_logins: 0 })
    .where('id', '=', userId)
    .where('failed_logins', '>=', lockAfter)
    .execute();
  const row = await db.selectFrom('users').select('failed_logins').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.failed_logins;
}

export async function clearLoginFailures(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('failed_logins', '>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}

// --- memberships -------------------------------------------------------------------------------------

function toMembership(row: MembershipRow): Membership {
  return { companyId: row.company_id, userId: row.user_id, role: row.role, salesRep: row.sales_rep };
}

/** Adds the user to the company, or changes its role and sales rep there. */
export async function setMembership(
  db: Db,
  companyId: string,
  userId: string,
  input: { role: Role; salesRep?: string | null },
): Promise<Membership> {
  const row: MembershipRow = {
    company_id: companyId,
    user_id: userId,
    role: input.role,
    sales_rep: input.salesRep ?? null,
    created_at: nowIso(),
  };
  await db
    .insertInto('memberships')
    .values(row)
    .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ role: row.role, sales_rep: row.sales_rep }))
    .execute();
  return toMembership(row);
}

export async function getMembership(db: Db, companyId: string, userId: string): Promise<Membership | null> {
  if (!isId(companyId) || !isId(userId)) return null;
  const row = await db
    .selectFrom('memberships')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toMembership(row) : null;
}

export async function removeMembership(db: Db, companyId: string, userId: string): Promise<void> {
  if (!isId(userId))
    throw new AppError('not_found', `No user with id ${userId} in this company.`, [], {
      key: 'problem.notFound.member',
      params: { id: userId },
    });
  const result = await db
    .deleteFrom('memberships')
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n)
    throw new AppError('not_found', `No user with id ${userId} in this company.`, [], {
      key: 'problem.notFound.member',
      params: { id: userId },
    });
  // Sessions and tokens of that company stop working at once.
  await db.deleteFrom('sessions').where('company_id', '=', companyId).where('user_id', '=', userId).execute();
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function listMembers(db: Db, companyId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.company_id', 'm.user_id', 'm.role', 'm.sales_rep', 'm.created_at', 'u.email', 'u.name'])
    .where('m.company_id', '=', companyId)
    .orderBy('u.email')
    .execute();
  return rows.map((r) => ({ ...toMembership(r), email: r.email, name: r.name }));
}

export async function countAdmins(db: Db, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The companies a user belongs to, with the role in each. */
export async function listUserCompanies(db: Db, userId: string): Promise<(Membership & { legalName: string })[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('companies as c', 'c.id', 'm.company_id')
    .select(['m.company_id', 'm.user_id', 'm.role', 'm.sales_rep', 'm.created_at', 'c.legal_name'])
    .where('m.user_id', '=', userId)
    .orderBy('c.legal_name')
    .execute();
  return rows.map((r) => ({ ...toMembership(r), legalName: r.legal_name }));
}

// --- sessions ----------------------------------------------------------------------------------------

export async function createSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live session with its user's membership in the session's company; null when expired or revoked. */
export async function findSession(
  db: Db,
  id: string,
  now: string,
): Promise<{ session: SessionRow; membership: Membership; email: string; installationAdmin: boolean } | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.company_id', '=', 's.company_id').onRef('m.user_id', '=', 's.user_id'),
    )
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.company_id',
      's.csrf_token',
      's.created_at',
      's.expires_at',
      'm.role',
      'm.sales_rep',
      'u.email',
      'u.installation_admin',
    ])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  const { role, sales_rep, email, installation_admin, ...session } = row;
  return {
    session,
    email,
    installationAdmin: Number(installation_admin) === 1,
    membership: { companyId: row.company_id, userId: row.user_id, role, salesRep: sales_rep },
  };
}

export async function switchSessionCompany(db: Db, id: string, companyId: string): Promise<void> {
  await db.updateTable('sessions').set({ company_id: companyId }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/**
 * After a password change or reset: every session of the account but the one that made the change (if any)
 * and every API token it holds, in every company, stop working.
 */
export async function endOtherCredentials(
  db: Db,
  userId: string,
  keep: { sessionId?: string; tokenId?: string } = {},
): Promise<void> {
  let sessions = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep.sessionId !== undefined) sessions = sessions.where('id', '<>', keep.sessionId);
  await sessions.execute();
  let tokens = db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep.tokenId !== undefined) tokens = tokens.where('id', '<>', keep.tokenId);
  await tokens.execute();
}

export async function hasInstallationAdmin(db: Db): Promise<boolean> {
  return (
    (await db.selectFrom('users').select('id').where('installation_admin', '=', 1).limit(1).executeTakeFirst()) !==
    undefined
  );
}

export async function setInstallationAdmin(db: Db, userId: string, on: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ installation_admin: on ? 1 : 0, updated_at: nowIso() })
    .where('id', '=', userId)
    .execute();
}

// --- API tokens --------------------------------------------------------------------------------------

export type ApiToken = {
  id: string;
  userId: string;
  email: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export async function insertApiToken(
  db: Db,
  companyId: string,
  input: { userId: string; name: string; hash: string; prefix: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('api_tokens')
    .values({
      company_id: companyId,
      id,
      user_id: input.userId,
      name: input.name,
      token_hash: input.hash,
      prefix: input.prefix,
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return id;
}

/** A token acts as its user with the user's current role in the token's company; revoked ones find nothing. */
export async function findApiToken(
  db: Db,
  hash: string,
): Promise<{
  tokenId: string;
  membership: Membership;
  email: string;
  lastUsedAt: string | null;
  installationAdmin: boolean;
} | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.company_id', '=', 't.company_id').onRef('m.user_id', '=', 't.user_id'),
    )
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.company_id',
      't.user_id',
      't.last_used_at',
      'm.role',
      'm.sales_rep',
      'u.email',
      'u.installation_admin',
    ])
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tokenId: row.id,
    email: row.email,
    lastUsedAt: row.last_used_at,
    installationAdmin: Number(row.installation_admin) === 1,
    membership: { companyId: row.company_id, userId: row.user_id, role: row.role, salesRep: row.sales_rep },
  };
}

export async function touchApiToken(db: Db, companyId: string, id: string, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function listApiTokens(db: Db, companyId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 'u.email', 't.name', 't.prefix', 't.created_at', 't.last_used_at', 't.revoked_at'])
    .where('t.company_id', '=', companyId)
    .orderBy('t.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    email: r.email,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

export async function revokeApiToken(db: Db, companyId: string, id: string): Promise<void> {
  if (!isId(id))
    throw new AppError('not_found', `No API token with id ${id}.`, [], {
      key: 'problem.notFound.apiToken',
      params: { id },
    });
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('not_found', `No active API token with id ${id}.`, [], {
      key: 'problem.notFound.activeApiToken',
      params: { id },
    });
}

// --- password resets ---------------------------------------------------------------------------------

export async function insertPasswordReset(
  db: Db,
  input: { hash: string; userId: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('password_resets')
    .values({ id: input.hash, user_id: input.userId, created_at: nowIso(), expires_at: input.expiresAt, used_at: null })
    .execute();
}

/** Marks the reset token used (once, even under two concurrent attempts) and returns its user. */
export async function consumePasswordReset(db: Db, hash: string, now: string): Promise<string | null> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return null;
  const row = await db.selectFrom('password_resets').select('user_id').where('id', '=', hash).executeTakeFirstOrThrow();
  return row.user_id;
}

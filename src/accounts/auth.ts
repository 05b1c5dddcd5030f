import { AppError } from '../shared/errors.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { Db } from '../storage/database.ts';
import {
  clearLoginFailures, consumePasswordReset, createSession, createUser, deleteSession, deleteUserSessions, findApiToken,
  findSession, findUserByEmail, getMembership, getPasswordHash, insertApiToken, insertPasswordReset, listUserCompanies,
  recordLoginFailure, setMembership, setPasswordHash, switchSessionCompany, touchApiToken, type Membership, type User,
} from '../storage/users.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { randomSecret, sha256 } from './secrets.ts';
import type { Role } from './roles.ts';

/** Who is calling, in which company, with which role: what every route and data-access call is scoped by. */
export type Principal = Membership & {
  email: string;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
};

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
const SESSION_HOURS = 12;
const RESET_MINUTES = 60;
/** A token's last use is written at most this often, so a busy machine client does not write on every call. */
const TOUCH_EVERY_MS = 60_000;

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export type LoginResult = { sessionToken: string; principal: Principal; expiresAt: string };

/**
 * Checks e-mail and password. Five wrong passwords in a row lock the account for 15 minutes (the right
 * password included); an unknown e-mail costs the same scrypt time and gives the same answer.
 */
export async function login(db: Db, input: { email: string; password: string; companyId?: string }): Promise<LoginResult> {
  const user = await findUserByEmail(db, input.email);
  const now = new Date().toISOString();
  if (user?.lockedUntil && user.lockedUntil > now) {
    throw new AppError('rate_limited', `Too many failed attempts: this account is locked until ${user.lockedUntil}.`);
  }
  const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
  if (!user || !ok) {
    if (user) await recordLoginFailure(db, user.id, LOCK_AFTER_FAILURES, later(LOCK_MINUTES * 60_000));
    throw new AppError('unauthenticated', 'Wrong e-mail or password.');
  }
  await clearLoginFailures(db, user.id);
  const companies = await listUserCompanies(db, user.id);
  const chosen = companies.find((c) => c.companyId === input.companyId) ?? companies[0];
  if (!chosen) throw new AppError('forbidden', 'This account belongs to no company yet.');
  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = later(SESSION_HOURS * 3600_000);
  await createSession(db, { id: sha256(sessionToken), user_id: user.id, company_id: chosen.companyId, csrf_token: csrfToken,
    created_at: now, expires_at: expiresAt });
  return { sessionToken, expiresAt, principal: { companyId: chosen.companyId, userId: user.id, role: chosen.role,
    salesRep: chosen.salesRep, email: user.email, via: 'session', sessionId: sha256(sessionToken), csrfToken } };
}

export async function resolveSession(db: Db, sessionToken: string): Promise<Principal | null> {
  const found = await findSession(db, sha256(sessionToken), new Date().toISOString());
  if (!found) return null;
  return { ...found.membership, email: found.email, via: 'session', sessionId: found.session.id,
    csrfToken: found.session.csrf_token };
}

export async function resolveApiToken(db: Db, token: string): Promise<Principal | null> {
  const found = await findApiToken(db, sha256(token));
  if (!found) return null;
  const now = new Date();
  if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
    await touchApiToken(db, found.membership.companyId, found.tokenId, now.toISOString());
  }
  return { ...found.membership, email: found.email, via: 'token', tokenId: found.tokenId };
}

export async function logout(db: Db, principal: Principal): Promise<void> {
  if (principal.sessionId) await deleteSession(db, principal.sessionId);
}

/** Moves a session to another company of the same user; a company the user is not in is "not found". */
export async function switchCompany(db: Db, principal: Principal, companyId: string): Promise<Principal> {
  const membership = await getMembership(db, companyId, principal.userId);
  if (!membership) throw new AppError('not_found', `No company with id ${companyId}.`);
  if (!principal.sessionId) throw new AppError('usage', 'An API token stays in its own company; log in to switch.');
  await switchSessionCompany(db, principal.sessionId, companyId);
  return { ...principal, ...membership };
}

/** The token is returned once; only its hash is kept. */
export async function issueApiToken(db: Db, companyId: string, input: { userId: string; name: string }):
  Promise<{ id: string; token: string }> {
  if (!(await getMembership(db, companyId, input.userId))) throw new AppError('not_found', `No user with id ${input.userId} in this company.`);
  const token = randomSecret('rlc_');
  const id = await insertApiToken(db, companyId, { userId: input.userId, name: input.name, hash: sha256(token), prefix: token.slice(0, 10) });
  return { id, token };
}

/**
 * A one-hour, single-use reset token for the account, or null for an unknown e-mail (the caller answers
 * the same either way). The caller delivers it (e-mail, or the CLI / audit log until mail exists).
 */
export async function requestPasswordReset(db: Db, email: string): Promise<{ userId: string; token: string } | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const token = randomSecret();
  await insertPasswordReset(db, { hash: sha256(token), userId: user.id, expiresAt: later(RESET_MINUTES * 60_000) });
  return { userId: user.id, token };
}

/** Sets the new password and ends every session of the account. */
export async function resetPassword(db: Db, token: string, password: string): Promise<string> {
  checkPasswordStrength(password);
  const hash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const userId = await consumePasswordReset(trx, sha256(token), new Date().toISOString());
    if (!userId) throw new AppError('invalid_input', 'This reset link is invalid, used or expired.', [{ field: 'token', reason: 'invalid, used or expired' }]);
    await setPasswordHash(trx, userId, hash);
    await deleteUserSessions(trx, userId);
    return userId;
  });
}

export async function changePassword(db: Db, userId: string, current: string, next: string): Promise<void> {
  if (!(await verifyPassword(current, await getPasswordHash(db, userId)))) {
    throw new AppError('invalid_input', 'The current password is wrong.', [{ field: 'currentPassword', reason: 'wrong password' }]);
  }
  checkPasswordStrength(next);
  await setPasswordHash(db, userId, await hashPassword(next));
}

/**
 * Adds a person to a company: creates the account when the e-mail is new (with the given password, or a
 * generated one returned once), otherwise gives the existing account a role in this company.
 */
export async function addUser(db: Db, companyId: string, input: { email: string; role: Role; password?: string;
  name?: string | null; salesRep?: string | null }): Promise<{ user: User; created: boolean; generatedPassword: string | null }> {
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const generatedPassword = input.password === undefined ? randomSecret().slice(0, 20) : null;
  const existing = await findUserByEmail(db, input.email);
  const hash = existing ? null : await hashPassword(input.password ?? generatedPassword!);
  return inTransaction(db, async (trx) => {
    const user = existing ?? await createUser(trx, { email: input.email, name: input.name, passwordHash: hash });
    await setMembership(trx, companyId, user.id, { role: input.role, salesRep: input.salesRep ?? null });
    return { user: { id: user.id, email: user.email, name: user.name }, created: !existing,
      generatedPassword: existing ? null : generatedPassword };
  });
}

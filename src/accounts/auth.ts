import { AppError } from '../shared/errors.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { Db } from '../storage/database.ts';
import {
  clearLoginFailures,
  consumePasswordReset,
  createSession,
  createUser,
  deleteSession,
  endOtherCredentials,
  findApiToken,
  findSession,
  findUserByEmail,
  getMembership,
  insertApiToken,
  insertPasswordReset,
  listUserCompanies,
  recordLoginFailure,
  setInstallationAdmin,
  setMembership,
  setPasswordHash,
  switchSessionCompany,
  touchApiToken,
  type Membership,
  type User,
} from '../storage/users.ts';
import { upsertInvitation } from '../storage/invitations.ts';
import { recordAudit } from '../storage/audit.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { randomSecret, sha256 } from './secrets.ts';
import type { Role } from './roles.ts';

/** Who is calling, in which company, with which role: what every route and data-access call is scoped by. */
export type Principal = Membership & {
  email: string;
  via: 'session' | 'token';
  /** May create companies (see `authorize`). */
  installationAdmin: boolean;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
};

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
const SESSION_HOURS = 12;
const RESET_MINUTES = 60;
const INVITATION_DAYS = 14;
/** The one answer to a failed login, whether the e-mail is unknown, the password wrong or the account locked. */
const LOGIN_REFUSED =
  'Wrong e-mail or password, or too many failed attempts (the account is then locked for 15 minutes).';
/** A token's last use is written at most this often, so a busy machine client does not write on every call. */
const TOUCH_EVERY_MS = 60_000;

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export type LoginResult = { sessionToken: string; principal: Principal; expiresAt: string };

/**
 * Checks e-mail and password. Five wrong passwords in a row lock the account for 15 minutes (the right
 * password included). An unknown e-mail, a wrong password and a locked account cost the same scrypt time
 * and give the same answer, so the answer never tells whether an account exists or is locked. The session and its
 * audit row (naming the client address) are written together.
 */
export async function login(
  db: Db,
  input: { email: string; password: string; companyId?: string },
  from: { ip?: string } = {},
): Promise<LoginResult> {
  const user = await findUserByEmail(db, input.email);
  const now = new Date().toISOString();
  const locked = user?.lockedUntil !== null && user?.lockedUntil !== undefined && user.lockedUntil > now;
  const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
  if (!user || !ok || locked) {
    if (user && !locked) await recordLoginFailure(db, user.id, LOCK_AFTER_FAILURES, later(LOCK_MINUTES * 60_000));
    throw new AppError('unauthenticated', LOGIN_REFUSED, [], { key: 'problem.auth.loginRefused' });
  }
  const companies = await listUserCompanies(db, user.id);
  const chosen = companies.find((c) => c.companyId === input.companyId) ?? companies[0];
  if (!chosen)
    throw new AppError('forbidden', 'This account belongs to no company yet.', [], { key: 'problem.auth.noCompany' });
  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = later(SESSION_HOURS * 3600_000);
  await inTransaction(db, async (trx) => {
    await clearLoginFailures(trx, user.id);
    await createSession(trx, {
      id: sha256(sessionToken),
      user_id: user.id,
      company_id: chosen.companyId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    });
    await recordAudit(trx, chosen.companyId, {
      userId: user.id,
      actor: user.email,
      action: 'session.login',
      details: { ip: from.ip ?? null },
    });
  });
  return {
    sessionToken,
    expiresAt,
    principal: {
      companyId: chosen.companyId,
      userId: user.id,
      role: chosen.role,
      salesRep: chosen.salesRep,
      email: user.email,
      via: 'session',
      installationAdmin: user.installationAdmin,
      sessionId: sha256(sessionToken),
      csrfToken,
    },
  };
}

export async function resolveSession(db: Db, sessionToken: string): Promise<Principal | null> {
  const found = await findSession(db, sha256(sessionToken), new Date().toISOString());
  if (!found) return null;
  return {
    ...found.membership,
    email: found.email,
    via: 'session',
    installationAdmin: found.installationAdmin,
    sessionId: found.session.id,
    csrfToken: found.session.csrf_token,
  };
}

export async function resolveApiToken(db: Db, token: string): Promise<Principal | null> {
  const found = await findApiToken(db, sha256(token));
  if (!found) return null;
  const now = new Date();
  if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
    await touchApiToken(db, found.membership.companyId, found.tokenId, now.toISOString());
  }
  return {
    ...found.membership,
    email: found.email,
    via: 'token',
    installationAdmin: found.installationAdmin,
    tokenId: found.tokenId,
  };
}

export async function logout(db: Db, principal: Principal): Promise<void> {
  if (principal.sessionId) await deleteSession(db, principal.sessionId);
}

/** Moves a session to another company of the same user; a company the user is not in is "not found". */
export async function switchCompany(db: Db, principal: Principal, companyId: string): Promise<Principal> {
  const membership = await getMembership(db, companyId, principal.userId);
  if (!membership)
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  if (!principal.sessionId)
    throw new AppError('usage', 'An API token stays in its own company; log in to switch.', [], {
      key: 'problem.auth.tokenCompany',
    });
  await switchSessionCompany(db, principal.sessionId, companyId);
  return { ...principal, ...membership };
}

/** The token is returned once; only its hash is kept. */
export async function issueApiToken(
  db: Db,
  companyId: string,
  input: { userId: string; name: string },
): Promise<{ id: string; token: string }> {
  if (!(await getMembership(db, companyId, input.userId)))
    throw new AppError('not_found', `No user with id ${input.userId} in this company.`, [], {
      key: 'problem.notFound.member',
      params: { id: input.userId },
    });
  const token = randomSecret('rlc_');
  const id = await insertApiToken(db, companyId, {
    userId: input.userId,
    name: input.name,
    hash: sha256(token),
    prefix: token.slice(0, 10),
  });
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

/** Sets the new password and ends every session and API token of the account. */
export async function resetPassword(db: Db, token: string, password: string): Promise<string> {
  checkPasswordStrength(password);
  const hash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const userId = await consumePasswordReset(trx, sha256(token), new Date().toISOString());
    if (!userId)
      throw new AppError(
        'invalid_input',
        'This reset link is invalid, used or expired.',
        [{ field: 'token', reason: 'invalid, used or expired', code: 'reason.tokenInvalid' }],
        { key: 'problem.auth.resetLink' },
      );
    await setPasswordHash(trx, userId, hash);
    await endOtherCredentials(trx, userId);
    return userId;
  });
}

/**
 * Changes the caller's password. A wrong current password counts toward the account's lock like a failed
 * login (and a locked account is refused the same way), so this door does not allow unlimited guesses.
 * Every other session and API token of the account ends; the one making the change continues. Audited.
 */
export async function changePassword(db: Db, principal: Principal, current: string, next: string): Promise<void> {
  const user = await findUserByEmail(db, principal.email);
  const now = new Date().toISOString();
  const locked = user?.lockedUntil !== null && user?.lockedUntil !== undefined && user.lockedUntil > now;
  const ok = await verifyPassword(current, user?.passwordHash ?? null);
  if (!user || user.id !== principal.userId || !ok || locked) {
    if (user && !locked) await recordLoginFailure(db, user.id, LOCK_AFTER_FAILURES, later(LOCK_MINUTES * 60_000));
    throw new AppError(
      'invalid_input',
      'The current password is wrong, or too many failed attempts locked the account for 15 minutes.',
      [{ field: 'currentPassword', reason: 'wrong password or account locked', code: 'reason.wrongPassword' }],
      { key: 'problem.auth.currentPassword' },
    );
  }
  checkPasswordStrength(next);
  const hash = await hashPassword(next);
  await inTransaction(db, async (trx) => {
    await setPasswordHash(trx, principal.userId, hash);
    await endOtherCredentials(trx, principal.userId, { sessionId: principal.sessionId, tokenId: principal.tokenId });
    await recordAudit(trx, principal.companyId, {
      userId: principal.userId,
      actor: principal.email,
      action: 'user.password_changed',
      target: principal.userId,
    });
  });
}

export type AddedUser = { user: User; created: boolean; invited: boolean; generatedPassword: string | null };

/**
 * Adds a person to a company. A new e-mail gets an account (with the given password, or a generated one
 * returned once); an account that already exists elsewhere is only invited, and joins when its owner accepts
 * (`acceptInvitation`), so nobody is put into a company, or shown its data, behind their back. An account
 * already in this company gets the given role. `direct` (the command line, run by whoever runs the
 * installation) adds an existing account at once. `alongside` writes in the same transaction (the caller's audit
 * row); the password is hashed before it opens, so the slow hash holds no transaction.
 */
export async function addUser(
  db: Db,
  companyId: string,
  input: {
    email: string;
    role: Role;
    password?: string;
    name?: string | null;
    salesRep?: string | null;
    invitedBy?: string;
    direct?: boolean;
    installationAdmin?: boolean;
  },
  alongside?: (trx: Db, added: AddedUser) => Promise<void>,
): Promise<AddedUser> {
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const generatedPassword = input.password === undefined ? randomSecret().slice(0, 20) : null;
  const existing = await findUserByEmail(db, input.email);
  const hash = existing ? null : await hashPassword(input.password ?? generatedPassword!);
  return inTransaction(db, async (trx) => {
    const member = existing ? await getMembership(trx, companyId, existing.id) : null;
    if (existing && !member && !input.direct) {
      await upsertInvitation(trx, companyId, {
        userId: existing.id,
        role: input.role,
        salesRep: input.salesRep ?? null,
        invitedBy: input.invitedBy ?? 'command line',
        expiresAt: later(INVITATION_DAYS * 86_400_000),
      });
      const invited = {
        user: { id: existing.id, email: existing.email, name: existing.name },
        created: false,
        invited: true,
        generatedPassword: null,
      };
      await alongside?.(trx, invited);
      return invited;
    }
    const user = existing ?? (await createUser(trx, { email: input.email, name: input.name, passwordHash: hash }));
    await setMembership(trx, companyId, user.id, { role: input.role, salesRep: input.salesRep ?? null });
    if (input.installationAdmin) await setInstallationAdmin(trx, user.id, true);
    const added = {
      user: { id: user.id, email: user.email, name: user.name },
      created: !existing,
      invited: false,
      generatedPassword: existing ? null : generatedPassword,
    };
    await alongside?.(trx, added);
    return added;
  });
}

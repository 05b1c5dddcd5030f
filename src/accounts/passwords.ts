import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../shared/errors.ts';

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (node:crypto scrypt, a random 16-byte salt per user),
 * so the cost can be raised later without losing the ability to check older hashes.
 */
const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export const MIN_PASSWORD_LENGTH = 10;

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'invalid_input',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
      [
        {
          field: 'password',
          reason: `at least ${MIN_PASSWORD_LENGTH} characters`,
          code: 'reason.passwordShort',
          params: { count: MIN_PASSWORD_LENGTH },
        },
      ],
      { key: 'problem.accounts.passwordShort', params: { count: MIN_PASSWORD_LENGTH } },
    );
  }
  if (password.length > 256) {
    throw new AppError(
      'invalid_input',
      'The password must have at most 256 characters.',
      [{ field: 'password', reason: 'at most 256 characters', code: 'reason.passwordLong', params: { count: 256 } }],
      { key: 'problem.accounts.passwordLong', params: { count: 256 } },
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// Checked when the e-mail is unknown, so an answer takes as long whether or not the account exists.
const DUMMY = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? DUMMY).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, N, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return stored !== null && key.length === expected.length && timingSafeEqual(key, expected);
}

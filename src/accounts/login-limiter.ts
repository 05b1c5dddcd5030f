import { normaliseEmail } from '../storage/users.ts';

/**
 * Per-client-address limit on login attempts (a fixed window in memory). The per-account lock-out in
 * the database stops guessing one password; this stops one address from trying many accounts.
 */
export type LoginLimiter = { hit(key: string, now?: number): boolean };

export function loginLimiter(options: { max: number; windowMs: number }): LoginLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now = Date.now()) {
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
      }
      const current = windows.get(key);
      if (!current || now - current.start >= options.windowMs) {
        windows.set(key, { start: now, count: 1 });
        return true;
      }
      current.count++;
      return current.count <= options.max;
    },
  };
}

/** The limiter's key for one account, however the e-mail was typed (case, spaces). */
export function accountLimitKey(email: string): string {
  return `account:${normaliseEmail(email)}`;
}

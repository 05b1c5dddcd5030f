import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../../src/accounts/passwords.ts';
import { allows } from '../../src/accounts/permissions.ts';
import { loginLimiter } from '../../src/accounts/login-limiter.ts';
import { AppError } from '../../src/shared/errors.ts';

describe('passwords', () => {
  it('hashes with scrypt and a salt of its own each time, and checks only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', null)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('refuses short passwords with the field named', () => {
    expect(() => checkPasswordStrength('short')).toThrow(AppError);
    try {
      checkPasswordStrength('short');
    } catch (error) {
      expect((error as AppError).issues[0]?.field).toBe('password');
    }
    expect(() => checkPasswordStrength('long enough password')).not.toThrow();
  });

  it('ranks roles: viewer reads, collector collects, admin administers', () => {
    expect([
      allows({ role: 'viewer' }, 'invoices.view'),
      allows({ role: 'viewer' }, 'payments.record'),
      allows({ role: 'collector' }, 'payments.record'),
      allows({ role: 'collector' }, 'users.manage'),
      allows({ role: 'admin' }, 'users.manage'),
      allows({ role: 'admin' }, 'companies.create'),
      allows({ role: 'viewer', installationAdmin: true }, 'companies.create'),
    ]).toEqual([true, false, true, false, true, false, true]);
  });

  it('limits attempts per key within a window and forgets them after it', () => {
    const limiter = loginLimiter({ max: 2, windowMs: 1000 });
    expect([
      limiter.hit('ip', 0),
      limiter.hit('ip', 10),
      limiter.hit('ip', 20),
      limiter.hit('other', 20),
      limiter.hit('ip', 1001),
    ]).toEqual([true, true, false, true, true]);
  });
});

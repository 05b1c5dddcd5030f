import { describe, expect, it } from 'vitest';
import { authorize, PERMISSIONS, type Action } from '../../src/accounts/permissions.ts';
import { RoleSchema } from '../../src/accounts/roles.ts';
import { en } from '../../src/i18n/en.ts';
import { fr } from '../../src/i18n/fr.ts';
import { AppError } from '../../src/shared/errors.ts';

describe('the permissions table', () => {
  const actions = Object.keys(PERMISSIONS) as Action[];

  it('lets an admin do everything in its company but create a company, and a viewer only read', () => {
    for (const action of actions) {
      const who = PERMISSIONS[action];
      if (action === 'companies.create') expect(who).toBe('installation');
      else expect(who, action).toContain('admin');
      if (Array.isArray(who) && who.includes('viewer'))
        expect(action, 'a viewer only reads').toMatch(/\.(view|draft)$/);
    }
  });

  it('refuses with a 403 that says who is needed, in both languages', () => {
    const cases: [Action, string][] = [
      ['companies.create', 'installation'],
      ['users.manage', 'admin'],
      ['payments.record', 'collector'],
    ];
    for (const [action, need] of cases) {
      let error: unknown;
      try {
        authorize({ role: 'viewer' }, action);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('forbidden');
      expect((error as AppError).messageKey).toBe(`access.${need}`);
      expect(fr.access[need as keyof typeof fr.access]).toBeTruthy();
      expect(en.access[need as keyof typeof en.access]).toBeTruthy();
    }
    for (const role of RoleSchema.options) expect(() => authorize({ role }, 'invoices.view')).not.toThrow();
    expect(() => authorize({ role: 'viewer', installationAdmin: true }, 'companies.create')).not.toThrow();
    expect(() => authorize({ role: 'admin' }, 'companies.create')).toThrow(AppError);
  });
});

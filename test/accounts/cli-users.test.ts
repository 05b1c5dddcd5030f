import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { openStore } from '../../src/storage/database.ts';
import { workspace } from '../cli/support.ts';

describe('relance user', () => {
  it('adds the first admin, who can then log in to the API; prints a generated password once; lists users', async () => {
    const w = workspace();
    const added = await w.run(
      'user',
      'add',
      '--email',
      'Boss@Example.test',
      '--role',
      'admin',
      '--password',
      'first admin password',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('boss@example.test is admin');
    const generated = await w.run(
      'user',
      'add',
      '--email',
      'marie@example.test',
      '--role',
      'collector',
      '--sales-rep',
      'Marie',
    );
    const password = /Password \(shown once\): (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toHaveLength(20);
    expect((await w.run('user', 'add', '--email', 'x@example.test', '--role', 'boss')).code).toBe(2);
    expect(
      (await w.run('user', 'add', '--email', 'y@example.test', '--role', 'viewer', '--password', 'short')).code,
    ).toBe(1);
    const listed = await w.run('user', 'list', '--json');
    expect(
      JSON.parse(listed.stdout).map((u: { email: string; role: string; salesRep: string | null }) => [
        u.email,
        u.role,
        u.salesRep,
      ]),
    ).toEqual([
      ['boss@example.test', 'admin', null],
      ['marie@example.test', 'collector', 'Marie'],
    ]);
    const reset = await w.run('user', 'reset-password', '--email', 'marie@example.test');
    expect(reset.stdout).toMatch(/Reset token for marie@example.test .*: \S{40,}/);

    const store = await openStore(w.db);
    const app = await buildApp({ db: store.db });
    for (const [email, pass] of [
      ['boss@example.test', 'first admin password'],
      ['marie@example.test', password!],
    ]) {
      const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: pass } });
      expect(login.statusCode, login.body).toBe(200);
    }
    await app.close();
    await store.close();
  });
});

import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { findUserByEmail, setMembership, setPasswordHash } from '../storage/users.ts';
import { addUser } from './auth.ts';
import { hashPassword } from './passwords.ts';
import { randomSecret } from './secrets.ts';

export const DEMO_EMAIL = 'admin@demo.relance';

/**
 * A demo admin with a fresh random password (the browser tests' login): no well-known password ever
 * opens a server.
 */
export async function demoLogin(db: Db, companyId: string): Promise<{ email: string; password: string }> {
  const password = randomSecret().slice(0, 16);
  const existing = await findUserByEmail(db, DEMO_EMAIL);
  if (!existing) {
    await addUser(db, companyId, { email: DEMO_EMAIL, role: 'admin', name: 'Démo', password });
  } else {
    await setPasswordHash(db, existing.id, await hashPassword(password));
    await setMembership(db, companyId, existing.id, { role: 'admin' });
  }
  return { email: DEMO_EMAIL, password };
}

/**
 * The demo admin of `npm start`: created once, on demonstration data only, with a random password that
 * is returned that one time (null afterwards: an existing account is never reset by a start).
 */
export async function ensureDemoLogin(db: Db, companyId: string): Promise<{ email: string; password: string | null }> {
  const company = await db.selectFrom('companies').select('demo_data').where('id', '=', companyId).executeTakeFirst();
  if (company?.demo_data !== 1)
    throw new AppError('conflict', 'The demo login is only made on demonstration data.', [], {
      key: 'problem.accounts.demoLoginOnly',
    });
  if (await findUserByEmail(db, DEMO_EMAIL)) return { email: DEMO_EMAIL, password: null };
  const password = randomSecret().slice(0, 16);
  await addUser(db, companyId, { email: DEMO_EMAIL, role: 'admin', name: 'Démo', password });
  return { email: DEMO_EMAIL, password };
}

import type { Db } from '../storage/database.ts';
import { findUserByEmail, setMembership, setPasswordHash } from '../storage/users.ts';
import { addUser } from './auth.ts';
import { hashPassword } from './passwords.ts';
import { randomSecret } from './secrets.ts';

export const DEMO_EMAIL = 'admin@demo.relance';

/**
 * The login `npm start` prints: the demo admin gets a fresh random password at every start, so no
 * well-known password ever opens a server, and the person at the terminal can always log in.
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

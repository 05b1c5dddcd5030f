import type { Db } from '../storage/database.ts';
import { listUserCompanies, type Role } from '../storage/users.ts';
import type { Principal } from './auth.ts';

export type SessionInfo = {
  user: { id: string; email: string };
  company: { id: string; legalName: string };
  role: Role;
  salesRep: string | null;
  companies: { id: string; legalName: string; role: Role }[];
  csrfToken: string | null;
};

/**
 * What the web app needs to know about who is logged in: the current company, the role and représentant there,
 * the other companies the user may switch to, and the token that writes must carry.
 */
export async function getSessionInfo(db: Db, principal: Principal): Promise<SessionInfo> {
  const companies = await listMyCompanies(db, principal.userId);
  const current = companies.find((c) => c.id === principal.companyId);
  return {
    user: { id: principal.userId, email: principal.email },
    company: { id: principal.companyId, legalName: current?.legalName ?? '' },
    role: principal.role,
    salesRep: principal.salesRep,
    companies,
    csrfToken: principal.csrfToken ?? null,
  };
}

/** The companies the user belongs to, by name, with the role in each. */
export async function listMyCompanies(db: Db, userId: string): Promise<SessionInfo['companies']> {
  return (await listUserCompanies(db, userId)).map((c) => ({ id: c.companyId, legalName: c.legalName, role: c.role }));
}

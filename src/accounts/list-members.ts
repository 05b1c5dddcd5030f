import type { Db } from '../storage/database.ts';
import { listApiTokens, listMembers, type ApiToken, type Member } from '../storage/users.ts';

/** The people of the company with their role and représentant; only administrators are let in to ask. */
export async function listCompanyMembers(db: Db, companyId: string): Promise<Member[]> {
  return listMembers(db, companyId);
}

/** The company's API tokens, without their secrets (shown once, when created). */
export async function listCompanyApiTokens(db: Db, companyId: string): Promise<ApiToken[]> {
  return listApiTokens(db, companyId);
}

import { DEFAULT_POLICY_JSON } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { getPolicy, listPolicies, listRuns, type Run, type StoredPolicy } from '../storage/dunning.ts';

/** The company's stored policies, by name. */
export async function listCompanyPolicies(db: Db, companyId: string): Promise<StoredPolicy[]> {
  return listPolicies(db, companyId);
}

/** A stored policy by name (not found when there is none), or the default one (null when none is stored). */
export async function storedPolicy(db: Db, companyId: string, name?: string): Promise<StoredPolicy | null> {
  return getPolicy(db, companyId, name);
}

/**
 * A policy by name as the API shows it: "default" without a policy of that name is the one marked default, else
 * the built-in default.
 */
export async function viewPolicy(db: Db, companyId: string, name: string): Promise<StoredPolicy> {
  if (name === 'default' && (await listPolicies(db, companyId)).every((p) => p.name !== 'default')) {
    const stored = await getPolicy(db, companyId);
    return stored ?? { id: 'built-in', name: 'default', isDefault: true, definition: DEFAULT_POLICY_JSON };
  }
  return (await getPolicy(db, companyId, name))!;
}

/** The latest runs, newest first. */
export async function listCompanyRuns(db: Db, companyId: string): Promise<Run[]> {
  return listRuns(db, companyId);
}

import { defaultPolicy, parsePolicy, type Policies, type Policy } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { listPolicies } from '../storage/policy-reads.ts';

/**
 * Policies parsed, by id and definition: a run reads the company's policies for its plan and again for each batch
 * of e-mails (and their contexts), and zod's parse of each, the default one included, was about 5 ms a read. A
 * policy is never changed once parsed (a saved one is a new definition), so readers share it.
 */
const parsedPolicies = new Map<string, Policy>();
let parsedDefault: Policy | null = null;

function parsedPolicy(id: string, definition: unknown): Policy {
  const key = `${id}\n${JSON.stringify(definition)}`;
  let policy = parsedPolicies.get(key);
  if (policy === undefined) {
    policy = parsePolicy(definition);
    if (parsedPolicies.size >= 1_000) parsedPolicies.clear();
    parsedPolicies.set(key, policy);
  }
  return policy;
}

/** The company's policies by id, and the one used for customers without their own. */
export async function loadPolicies(db: Db, companyId: string): Promise<Policies> {
  const stored = await listPolicies(db, companyId);
  const byId = new Map(stored.map((p) => [p.id, parsedPolicy(p.id, p.definition)]));
  const fallbackStored = stored.find((p) => p.isDefault);
  return { byId, fallback: fallbackStored ? byId.get(fallbackStored.id)! : (parsedDefault ??= defaultPolicy()) };
}

import { inIds } from './in-list.ts';
import type { Db } from './database.ts';

export type StoredPolicy = { id: string; name: string; isDefault: boolean; definition: unknown };

/** The company's policies by name, their definitions as saved (checked when they were saved). */
export async function listPolicies(db: Db, companyId: string): Promise<StoredPolicy[]> {
  const rows = await db
    .selectFrom('policies')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    isDefault: row.is_default === 1,
    definition: JSON.parse(row.definition),
  }));
}

/** The policy each of these customers follows (null: the company's default), in one statement however many. */
export async function customerPolicyIds(
  db: Db,
  companyId: string,
  customerIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'policy_id'])
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', customerIds))
    .execute();
  return new Map(rows.map((row) => [row.id, row.policy_id]));
}

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

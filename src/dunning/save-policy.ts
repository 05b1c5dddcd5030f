import { parsePolicy, type Policy } from '../domain/dunning/policy.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { writePolicy, type StoredPolicy } from '../storage/dunning.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * Checks a policy (errors name each JSON path) and saves it under its name, replacing the one of that name, with its
 * audit row. The company's first policy, or one saved with `makeDefault`, becomes its default.
 */
export async function savePolicy(
  db: Db,
  actor: Actor,
  input: { definition: unknown; makeDefault?: boolean },
): Promise<StoredPolicy & { policy: Policy }> {
  const policy = parsePolicy(input.definition);
  return inTransaction(db, async (trx) => {
    const saved = await writePolicy(trx, actor.companyId, {
      name: policy.name,
      definition: input.definition,
      makeDefault: input.makeDefault,
    });
    await auditBy(trx, actor, 'policy.saved', saved.name, { isDefault: saved.isDefault });
    return { ...saved, policy };
  });
}

import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { resetTemplate, type StoredTemplate } from './stored.ts';

/** Goes back to the built-in template, with its audit row; returns the template now in force. */
export async function restoreTemplate(
  db: Db,
  actor: Actor,
  input: { key: string; language: string },
): Promise<StoredTemplate> {
  return inTransaction(db, async (trx) => {
    const restored = await resetTemplate(trx, actor.companyId, input.key, input.language);
    await auditBy(trx, actor, 'template.reset', `${input.key}/${input.language}`);
    return restored;
  });
}

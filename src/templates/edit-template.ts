import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { saveTemplate, type StoredTemplate, type TemplateInput } from './stored.ts';

/**
 * Saves the given fields of a template (one that does not parse or names an unknown variable is refused, each error
 * with its field and line), with its audit row naming the fields.
 */
export async function editTemplate(db: Db, actor: Actor, input: TemplateInput): Promise<StoredTemplate> {
  const { key, language, ...fields } = input;
  return inTransaction(db, async (trx) => {
    const saved = await saveTemplate(trx, actor.companyId, input);
    await auditBy(trx, actor, 'template.saved', `${key}/${language}`, { fields: Object.keys(fields) });
    return saved;
  });
}

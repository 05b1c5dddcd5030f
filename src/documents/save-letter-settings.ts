import type { LetterSettings } from '../domain/letter-settings.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings, setLetterSettings, type LetterSettingsInput } from '../storage/documents.ts';
import { inTransaction } from '../storage/transactions.ts';

/** How letters are printed: address window, duplex, logo. */
export async function viewLetterSettings(db: Db, companyId: string): Promise<LetterSettings> {
  return getLetterSettings(db, companyId);
}

/**
 * Changes how letters are printed (address window, duplex, logo; only what is given) in one transaction with its
 * audit rows: the layout as `letters.settings` with the fields changed, the logo as `company.logo.set` (its size)
 * or `company.logo.removed`, whether the API's logo route or the command line's `letter-settings` changed it.
 */
export async function saveLetterSettings(db: Db, actor: Actor, input: LetterSettingsInput): Promise<LetterSettings> {
  return inTransaction(db, async (trx) => {
    const saved = await setLetterSettings(trx, actor.companyId, input);
    const fields = Object.entries(input)
      .filter(([field, value]) => value !== undefined && field !== 'logo')
      .map(([field]) => field);
    if (fields.length > 0) await auditBy(trx, actor, 'letters.settings', null, { fields });
    if (input.logo !== undefined)
      await auditBy(
        trx,
        actor,
        input.logo ? 'company.logo.set' : 'company.logo.removed',
        actor.companyId,
        input.logo ? { bytes: input.logo.length } : undefined,
      );
    return saved;
  });
}

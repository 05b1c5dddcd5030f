import type { LetterSettings } from '../domain/letter-settings.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { setLetterSettings, type LetterSettingsInput } from '../storage/documents.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Changes how letters are printed (address window, duplex, logo; only what is given), with its audit row. */
export async function saveLetterSettings(db: Db, actor: Actor, input: LetterSettingsInput): Promise<LetterSettings> {
  return inTransaction(db, async (trx) => {
    const saved = await setLetterSettings(trx, actor.companyId, input);
    const fields = Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    await auditBy(trx, actor, 'letters.settings', null, { fields });
    return saved;
  });
}

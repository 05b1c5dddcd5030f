import { todayIn, type IsoDate } from '../../domain/calendar.ts';
import type { Actor } from '../../shared/actor.ts';
import { auditBy } from '../../storage/audit.ts';
import { getCompany } from '../../storage/companies.ts';
import type { Db } from '../../storage/database.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { revokeMandate } from './mandates.ts';

/**
 * Revokes a mandate from a date (today in the company's zone by default), with its audit row: it is kept for the
 * debits made on it, and debits no more.
 */
export async function withdrawMandate(
  db: Db,
  actor: Actor,
  reference: string,
  input: { date?: IsoDate },
): Promise<void> {
  const date = input.date ?? todayIn((await getCompany(db, actor.companyId)).timeZone);
  await inTransaction(db, async (trx) => {
    await revokeMandate(trx, actor.companyId, reference, date);
    await auditBy(trx, actor, 'sepa.mandate.revoked', reference);
  });
}

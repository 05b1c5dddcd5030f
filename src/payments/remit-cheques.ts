import type { Actor } from '../customers/activities.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../storage/audit.ts';
import { insertRemittance, waitingChequesByIds, type ChequeRemittance } from '../storage/cheque-remittances.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * Puts cheques recorded as payments on a new remittance slip (bordereau de remise de chèques), the paper the
 * bank stamps when they are deposited together. One slip holds one currency; a cheque goes on one slip only.
 */
export async function remitCheques(
  db: Db,
  actor: Actor,
  input: { paymentIds: string[]; depositedOn: IsoDate },
): Promise<ChequeRemittance> {
  const ids = [...new Set(input.paymentIds)];
  if (ids.length === 0)
    throw new AppError(
      'invalid_input',
      'paymentIds: choose at least one cheque.',
      [{ field: 'paymentIds', reason: 'choose at least one cheque', code: 'reason.noCheque' }],
      { key: 'problem.cheques.none' },
    );
  return inTransaction(db, async (trx) => {
    const cheques = await waitingChequesByIds(trx, actor.companyId, ids);
    if (actor.salesRep !== null) {
      // A restricted collector remits only its représentant's cheques; another's does not exist for it.
      const own = await trx
        .selectFrom('payments as p')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'p.company_id').onRef('c.id', '=', 'p.customer_id'),
        )
        .select('p.id')
        .where('p.company_id', '=', actor.companyId)
        .where('p.id', 'in', ids)
        .where('c.sales_rep', '=', actor.salesRep)
        .execute();
      if (own.length !== ids.length)
        throw new AppError('invalid_input', 'paymentIds: no cheque waiting to be remitted with one of these ids.', [], {
          key: 'problem.cheques.noneWaiting',
        });
    }
    const currencies = [...new Set(cheques.map((c) => c.currency))];
    if (currencies.length > 1)
      throw new AppError(
        'invalid_input',
        `paymentIds: a slip holds cheques of one currency, these are in ${currencies.join(', ')}.`,
        [{ field: 'paymentIds', reason: 'cheques of several currencies', code: 'reason.chequeCurrencies' }],
        { key: 'problem.cheques.currencies', params: { currencies: currencies.join(', ') } },
      );
    const remittance = await insertRemittance(trx, actor.companyId, {
      depositedOn: input.depositedOn,
      currency: currencies[0]!,
      cheques,
      createdBy: actor.name,
    });
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'cheques.remitted',
      target: String(remittance.number),
      details: { cheques: remittance.cheques, total: remittance.total, currency: remittance.currency },
    });
    return remittance;
  });
}

import type { Instalment } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { getInvoiceByNumber } from '../storage/invoices.ts';
import { setPaymentSchedule } from '../storage/quotes.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Sets an invoice's schedule and sends the invoice back to the engine, whose lateness now counts from the instalments. */
export async function setInvoiceSchedule(
  db: Db,
  companyId: string,
  number: string,
  instalments: Instalment[],
): Promise<void> {
  if (instalments.length === 0)
    throw new AppError('invalid_input', 'A payment schedule needs at least one instalment.', [], {
      key: 'ledger.scheduleEmpty',
    });
  await inTransaction(db, async (trx) => {
    const invoice = await getInvoiceByNumber(trx, companyId, number);
    await setPaymentSchedule(trx, companyId, invoice.id, instalments);
    await trx
      .updateTable('invoices')
      .set({ next_action_date: null, updated_at: nowIso() })
      .where('company_id', '=', companyId)
      .where('id', '=', invoice.id)
      .execute();
  });
}

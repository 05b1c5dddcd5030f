import type { IsoDate } from '../domain/calendar.ts';
import type { Payment, PaymentMethod } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import type { Db } from '../storage/database.ts';
import { getInvoiceByNumber } from '../storage/invoices.ts';
import { findPaymentByImportKey } from '../storage/settlements.ts';
import { inTransaction } from '../storage/transactions.ts';
import { recordPayment } from './record-payment.ts';

export type IncomingPayment = {
  invoice: string;
  amount: number;
  date: IsoDate;
  method: PaymentMethod;
  reference: string;
};

/**
 * A payment pushed by an accounting tool against an invoice number. Its reference is its key: the same reference
 * twice records the payment once and answers with the first one.
 */
export async function recordIncomingPayment(
  db: Db,
  actor: Actor,
  input: IncomingPayment,
): Promise<{ payment: Payment; duplicate: boolean }> {
  const importKey = `api:${input.reference}`;
  return inTransaction(db, async (trx) => {
    const existing = await findPaymentByImportKey(trx, actor.companyId, importKey);
    if (existing) return { payment: existing, duplicate: true };
    const invoice = await getInvoiceByNumber(trx, actor.companyId, input.invoice);
    const payment = await recordPayment(
      trx,
      actor,
      {
        customerId: invoice.customerId,
        date: input.date,
        currency: invoice.currency,
        amount: input.amount,
        method: input.method,
        reference: input.reference,
        importKey,
        allocations: [{ invoiceId: invoice.id, amount: input.amount }],
      },
      'payment.incoming',
    );
    return { payment, duplicate: false };
  });
}

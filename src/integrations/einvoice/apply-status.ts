import type { MessageText } from '../../shared/errors.ts';
import type { Transaction } from 'kysely';
import { addDays } from '../../domain/calendar.ts';
import { newId } from '../../shared/ids.ts';
import { nowIso } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';
import { cancelInvoice, setDispute, setPromiseToPay } from '../../storage/invoices.ts';
import type { Actor } from '../../shared/actor.ts';
import { writePayment } from '../../settlements/record-payment.ts';
import { LIFECYCLE_STATUSES, type LifecycleStatus } from './read-status.ts';

/**
 * Days a 211 "Paiement transmis" holds reminders: the transfer the buyer announced should be on the
 * account by then; if it is not, reminders resume on their own.
 */
export const PAYMENT_SENT_HOLD_DAYS = 10;

export type StatusOutcome = {
  invoice: string;
  code: number;
  label: string;
  date: string;
  effect: 'disputed' | 'held' | 'cancelled' | 'payment_expected' | 'payment_recorded' | 'recorded' | 'already_known';
  amount?: number;
};

/**
 * Records one lifecycle status of an invoice (once: the same code and date again changes nothing) and
 * applies it: 207 disputes the invoice, 208 holds it (as a dispute "Suspendue" until cleared), 210
 * cancels it (or disputes it when something was already paid on it), 211 holds it for
 * PAYMENT_SENT_HOLD_DAYS as a promise to pay, 212 records the payment (up to the balance) through the allocation logic.
 */
export async function applyLifecycleStatus(
  trx: Transaction<Database>,
  actor: Actor,
  status: LifecycleStatus,
  fileName: string,
): Promise<StatusOutcome | { problem: string; why: MessageText }> {
  const companyId = actor.companyId;
  const invoice = await trx
    .selectFrom('invoices')
    .select(['id', 'number', 'customer_id', 'currency', 'total', 'allocated', 'status'])
    .where('company_id', '=', companyId)
    .where('number', '=', status.invoiceNumber)
    .executeTakeFirst();
  if (!invoice)
    return {
      problem: `status ${status.code} for invoice ${status.invoiceNumber}: no such invoice`,
      why: { key: 'reason.statusNoInvoice', params: { code: status.code, invoice: status.invoiceNumber } },
    };
  const { label, effect } = LIFECYCLE_STATUSES[status.code]!;
  const base = { invoice: invoice.number, code: status.code, label, date: status.date };
  const known = await trx
    .selectFrom('einvoice_statuses')
    .select('id')
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoice.id)
    .where('code', '=', status.code)
    .where('status_date', '=', status.date)
    .executeTakeFirst();
  if (known) return { ...base, effect: 'already_known' };
  if (status.currency && status.currency !== invoice.currency) {
    return {
      problem: `status 212 for invoice ${invoice.number}: amount in ${status.currency}, invoice in ${invoice.currency}`,
      why: {
        key: 'reason.statusCurrency',
        params: { invoice: invoice.number, currency: status.currency, invoiceCurrency: invoice.currency },
      },
    };
  }
  await trx
    .insertInto('einvoice_statuses')
    .values({
      company_id: companyId,
      id: newId(),
      invoice_id: invoice.id,
      code: status.code,
      status_date: status.date,
      note: status.note,
      amount: status.amount,
      file_name: fileName,
      created_at: nowIso(),
    })
    .execute();
  const reason = `${label} (${status.code})${status.note ? ` : ${status.note}` : ''}`;
  switch (effect) {
    case 'dispute':
      await setDispute(trx, companyId, invoice.number, reason);
      return { ...base, effect: 'disputed' };
    case 'hold':
      await setDispute(trx, companyId, invoice.number, reason);
      return { ...base, effect: 'held' };
    case 'stop':
      if (invoice.allocated === 0 && invoice.status === 'issued') {
        await cancelInvoice(trx, companyId, invoice.number);
        return { ...base, effect: 'cancelled' };
      }
      await setDispute(trx, companyId, invoice.number, reason);
      return { ...base, effect: 'disputed' };
    case 'payment_sent':
      await setPromiseToPay(trx, companyId, invoice.number, addDays(status.date, PAYMENT_SENT_HOLD_DAYS));
      return { ...base, effect: 'payment_expected' };
    case 'paid': {
      const balance = invoice.status === 'issued' ? invoice.total - invoice.allocated : 0;
      // Never more than the balance: the same collection may already be recorded from the bank statement,
      // and a status must not count it twice as unallocated credit.
      const amount = Math.min(status.amount ?? balance, balance);
      if (amount <= 0) return { ...base, effect: 'recorded' };
      await writePayment(trx, actor, {
        customerId: invoice.customer_id,
        date: status.date,
        currency: invoice.currency,
        amount,
        method: 'transfer',
        reference: `${invoice.number} encaissée (212)`,
        importKey: `einvoice-status:${invoice.id}:212:${status.date}`,
        allocations: [{ invoiceId: invoice.id, amount }],
      });
      return { ...base, effect: 'payment_recorded', amount };
    }
    default:
      return { ...base, effect: 'recorded' };
  }
}

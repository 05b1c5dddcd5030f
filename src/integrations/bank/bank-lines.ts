import { assertSees, type Actor } from '../../shared/actor.ts';
import { AppError } from '../../shared/errors.ts';
import { writePayment } from '../../settlements/record-payment.ts';
import { isId } from '../../shared/ids.ts';
import type { Db } from '../../storage/database.ts';
import { auditBy } from '../../storage/audit.ts';
import { inTransaction } from '../../storage/transactions.ts';

export type BankLineItem = {
  id: string;
  bookingDate: string;
  amount: number;
  currency: string;
  counterparty: string | null;
  reference: string | null;
  status: 'matched' | 'unmatched' | 'ignored';
  fileName: string;
  /** For a matched credit: the invoices its payment settled, in allocation order. */
  invoices: string[];
};

/** Credits no rule could match, oldest first and largest first within a day: the list a person works through (CLI, API, web app). */
export async function listBankLines(
  db: Db,
  companyId: string,
  filter: { status?: BankLineItem['status']; limit?: number } = {},
): Promise<BankLineItem[]> {
  const rows = await db
    .selectFrom('bank_lines')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('status', '=', filter.status ?? 'unmatched')
    .orderBy('booking_date')
    .orderBy('amount', 'desc')
    .orderBy('id')
    .limit(filter.limit ?? 500)
    .execute();
  const paymentIds = rows.flatMap((r) => (r.payment_id ? [r.payment_id] : []));
  const settled = new Map<string, string[]>();
  if (paymentIds.length > 0) {
    const allocations = await db
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.company_id', '=', 'a.company_id').onRef('i.id', '=', 'a.invoice_id'),
      )
      .select(['a.payment_id', 'i.number'])
      .where('a.company_id', '=', companyId)
      .where('a.payment_id', 'in', paymentIds)
      .orderBy('a.created_at')
      .orderBy('a.id')
      .execute();
    for (const a of allocations) settled.set(a.payment_id!, [...(settled.get(a.payment_id!) ?? []), a.number]);
  }
  return rows.map((r) => ({
    id: r.id,
    bookingDate: r.booking_date,
    amount: r.amount,
    currency: r.currency,
    counterparty: r.counterparty,
    reference: r.reference,
    status: r.status,
    fileName: r.file_name,
    invoices: r.payment_id ? (settled.get(r.payment_id) ?? []) : [],
  }));
}

/**
 * A person's match of an unmatched credit to invoices of one customer: the payment is recorded and
 * spread over them in the order given; what exceeds their balances stays as the customer's credit.
 */
export async function matchBankLine(
  db: Db,
  actor: Actor,
  lineId: string,
  invoiceNumbers: string[],
): Promise<{ paymentId: string }> {
  const companyId = actor.companyId;
  if (!isId(lineId))
    throw new AppError('not_found', `No bank line with id ${lineId}.`, [], {
      key: 'problem.notFound.bankLine',
      params: { id: lineId },
    });
  if (invoiceNumbers.length === 0)
    throw new AppError('invalid_input', 'Name at least one invoice to match the bank line to.', [], {
      key: 'problem.bank.noInvoice',
    });
  return inTransaction(db, async (trx) => {
    const line = await trx
      .selectFrom('bank_lines')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', lineId)
      .executeTakeFirst();
    if (!line)
      throw new AppError('not_found', `No bank line with id ${lineId}.`, [], {
        key: 'problem.notFound.bankLine',
        params: { id: lineId },
      });
    if (line.status !== 'unmatched')
      throw new AppError('conflict', `Bank line ${lineId} is already ${line.status}.`, [], {
        key: 'problem.bank.alreadyDone',
        params: { id: lineId, status: line.status },
      });
    const invoices = await trx
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'total', 'allocated', 'status', 'currency'])
      .where('company_id', '=', companyId)
      .where('number', 'in', invoiceNumbers)
      .execute();
    const missing = invoiceNumbers.filter((n) => !invoices.some((i) => i.number === n));
    if (missing.length > 0)
      throw new AppError('not_found', `No invoice numbered ${missing.join(', ')}.`, [], {
        key: 'problem.notFound.invoicesNumbered',
        params: { numbers: missing.join(', ') },
      });
    if (actor.salesRep !== null) {
      // A restricted collector may only settle its représentant's customers' invoices.
      const reps = await trx
        .selectFrom('customers')
        .select(['id', 'sales_rep'])
        .where('company_id', '=', companyId)
        .where('id', 'in', [...new Set(invoices.map((i) => i.customer_id))])
        .execute();
      for (const invoice of invoices) {
        const rep = reps.find((r) => r.id === invoice.customer_id)?.sales_rep ?? null;
        assertSees(actor, { salesRep: rep }, `invoice numbered ${invoice.number}`);
      }
    }
    const customers = new Set(invoices.map((i) => i.customer_id));
    if (customers.size > 1)
      throw new AppError('invalid_input', 'The invoices of one bank line must belong to one customer.', [], {
        key: 'problem.bank.oneCustomer',
      });
    let left = line.amount;
    const allocations: { invoiceId: string; amount: number }[] = [];
    for (const number of invoiceNumbers) {
      const invoice = invoices.find((i) => i.number === number)!;
      if (invoice.currency !== line.currency) {
        throw new AppError(
          'invalid_input',
          `Invoice ${number} is in ${invoice.currency}, the bank line in ${line.currency}.`,
          [],
          {
            key: 'problem.bank.currency',
            params: { invoice: number, currency: invoice.currency, lineCurrency: line.currency },
          },
        );
      }
      const part = Math.min(left, invoice.status === 'issued' ? invoice.total - invoice.allocated : 0);
      if (part > 0) allocations.push({ invoiceId: invoice.id, amount: part });
      left -= part;
    }
    const payment = await writePayment(trx, actor, {
      customerId: invoices[0]!.customer_id,
      date: line.booking_date,
      currency: line.currency,
      amount: line.amount,
      method: 'transfer',
      reference: line.reference?.slice(0, 140) ?? null,
      importKey: `bank:${line.import_key}`,
      allocations,
    });
    await trx
      .updateTable('bank_lines')
      .set({ status: 'matched', payment_id: payment.id, invoice_id: allocations[0]?.invoiceId ?? null })
      .where('company_id', '=', companyId)
      .where('id', '=', lineId)
      .execute();
    await auditBy(trx, actor, 'bank-line.matched', lineId, { invoices: invoiceNumbers });
    return { paymentId: payment.id };
  });
}

/** A credit that is no customer's payment (a refund, a loan): kept, but out of the list to match. */
export async function ignoreBankLine(db: Db, actor: Actor, lineId: string): Promise<void> {
  if (!isId(lineId))
    throw new AppError('not_found', `No unmatched bank line with id ${lineId}.`, [], {
      key: 'problem.notFound.unmatchedBankLine',
      params: { id: lineId },
    });
  await inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('bank_lines')
      .set({ status: 'ignored' })
      .where('company_id', '=', actor.companyId)
      .where('id', '=', lineId)
      .where('status', '=', 'unmatched')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n)
      throw new AppError('not_found', `No unmatched bank line with id ${lineId}.`, [], {
        key: 'problem.notFound.unmatchedBankLine',
        params: { id: lineId },
      });
    await auditBy(trx, actor, 'bank-line.ignored', lineId);
  });
}

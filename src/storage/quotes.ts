import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import {
  scheduleProblem,
  type Instalment,
  type PaymentSchedule,
  type Quote,
  type QuoteStatus,
} from '../domain/ledger.ts';
import { nowIso, type Db } from './database.ts';
import { inTransaction } from './transactions.ts';

export async function createQuote(db: Db, companyId: string, input: Omit<Quote, 'id'>): Promise<Quote> {
  if (input.validUntil < input.date)
    throw new AppError('invalid_input', `Quote ${input.number}: valid-until is before its date.`, [], {
      key: 'problem.quotes.validUntil',
      params: { quote: input.number },
    });
  const quote: Quote = { id: newId(), ...input };
  await db
    .insertInto('quotes')
    .values({
      company_id: companyId,
      id: quote.id,
      number: quote.number,
      customer_id: quote.customerId,
      date: quote.date,
      valid_until: quote.validUntil,
      currency: quote.currency,
      total: quote.total,
      status: quote.status,
      created_at: nowIso(),
    })
    .execute();
  return quote;
}

export type QuoteListItem = Quote & { customerCode: string; customerName: string };

/** Quotes by number with their customer; `salesRep` keeps a restricted collector's customers only. */
export async function listQuotes(
  db: Db,
  companyId: string,
  filter: { status?: QuoteStatus; salesRep?: string } = {},
): Promise<QuoteListItem[]> {
  let query = db
    .selectFrom('quotes as q')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'q.company_id').onRef('c.id', '=', 'q.customer_id'),
    )
    .selectAll('q')
    .select(['c.code', 'c.name'])
    .where('q.company_id', '=', companyId)
    .orderBy('q.number');
  if (filter.status) query = query.where('q.status', '=', filter.status);
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  return (await query.execute()).map((r) => ({
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    date: r.date,
    validUntil: r.valid_until,
    currency: r.currency,
    total: r.total,
    status: r.status as QuoteStatus,
    customerCode: r.code,
    customerName: r.name,
  }));
}

export async function setQuoteStatus(db: Db, companyId: string, number: string, status: QuoteStatus): Promise<void> {
  const result = await db
    .updateTable('quotes')
    .set({ status })
    .where('company_id', '=', companyId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('not_found', `No quote numbered ${number}.`, [], {
      key: 'problem.notFound.quoteNumber',
      params: { number },
    });
}

/** An échéancier splits an invoice's balance into instalments that each fall due on their own date. */
export async function setPaymentSchedule(
  db: Db,
  companyId: string,
  invoiceId: string,
  instalments: Instalment[],
): Promise<PaymentSchedule> {
  if (!isId(invoiceId))
    throw new AppError('not_found', `No invoice with id ${invoiceId}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: invoiceId },
    });
  return inTransaction(db, async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['number', 'total', 'allocated', 'currency'])
      .where('company_id', '=', companyId)
      .where('id', '=', invoiceId)
      .executeTakeFirst();
    if (!invoice)
      throw new AppError('not_found', `No invoice with id ${invoiceId}.`, [], {
        key: 'problem.notFound.invoice',
        params: { id: invoiceId },
      });
    const problem = scheduleProblem(invoice.total - invoice.allocated, instalments, invoice.currency);
    if (problem) {
      throw new AppError('invalid_input', `Payment schedule of invoice ${invoice.number}: ${problem.reason}.`, [], {
        key: 'ledger.scheduleRefused',
        params: { ...problem.params, invoice: invoice.number, why: problem.code },
      });
    }
    await trx
      .deleteFrom('payment_schedules')
      .where('company_id', '=', companyId)
      .where('invoice_id', '=', invoiceId)
      .execute();
    const id = newId();
    await trx
      .insertInto('payment_schedules')
      .values({ company_id: companyId, id, invoice_id: invoiceId, created_at: nowIso() })
      .execute();
    await trx
      .insertInto('instalments')
      .values(
        instalments.map((i) => ({
          company_id: companyId,
          schedule_id: id,
          seq: i.seq,
          due_date: i.dueDate,
          amount: i.amount,
        })),
      )
      .execute();
    return { id, invoiceId, instalments };
  });
}

export async function getPaymentSchedule(
  db: Db,
  companyId: string,
  invoiceId: string,
): Promise<PaymentSchedule | null> {
  const schedule = await db
    .selectFrom('payment_schedules')
    .select('id')
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  if (!schedule) return null;
  const rows = await db
    .selectFrom('instalments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('schedule_id', '=', schedule.id)
    .orderBy('seq')
    .execute();
  return {
    id: schedule.id,
    invoiceId,
    instalments: rows.map((r) => ({ seq: r.seq, dueDate: r.due_date, amount: r.amount })),
  };
}

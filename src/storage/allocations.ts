import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import {
  allocationProblem,
  type Allocation,
  type CreditNote,
  type Payment,
  type PaymentMethod,
} from '../domain/ledger.ts';
import { formatAmount, type Cents } from '../domain/money.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { insertUnique, nowIso, type Db } from './database.ts';
import { toInvoice } from './invoices.ts';
import { inTransaction } from './transactions.ts';

export type AllocationInput = { invoiceId: string; amount: Cents };

type Source = { paymentId: string; creditNoteId: null } | { paymentId: null; creditNoteId: string };

/**
 * Adds `amount` to what an invoice has received. The guard sits in the UPDATE itself, so two
 * concurrent payments can never push an invoice past its total; a refused guard is turned into the
 * precise reason (cancelled, other currency, or the balance it would exceed).
 */
async function allocate(
  db: Db,
  companyId: string,
  source: Source,
  date: IsoDate,
  currency: string,
  customerId: string,
  input: AllocationInput,
): Promise<void> {
  if (!isId(input.invoiceId))
    throw new AppError('not_found', `No invoice with id ${input.invoiceId}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: input.invoiceId },
    });
  if (input.amount <= 0)
    throw new AppError('invalid_input', 'An allocation must be a positive amount.', [], {
      key: 'ledger.allocationRefused',
      params: { why: 'ledger.notPositive' },
    });
  const result = await db
    .updateTable('invoices')
    // A payment or credit note ends the hold of a payment the customer announced: from now the ledger says.
    .set({
      allocated: sql`allocated + ${input.amount}`,
      next_action_date: null,
      payment_announced_on: null,
      updated_at: nowIso(),
    })
    .where('company_id', '=', companyId)
    .where('id', '=', input.invoiceId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'issued')
    .where('currency', '=', currency)
    .where(sql<boolean>`allocated + ${input.amount} <= total`)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    const row = await db
      .selectFrom('invoices')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', input.invoiceId)
      .executeTakeFirst();
    if (!row)
      throw new AppError('not_found', `No invoice with id ${input.invoiceId}.`, [], {
        key: 'problem.notFound.invoice',
        params: { id: input.invoiceId },
      });
    if (row.customer_id !== customerId) {
      throw new AppError('invalid_input', `Invoice ${row.number} belongs to another customer.`, [], {
        key: 'ledger.otherCustomer',
        params: { invoice: row.number },
      });
    }
    const problem = allocationProblem(toInvoice(row), input.amount, currency);
    throw new AppError('over_allocation', `Cannot allocate: ${problem?.reason ?? 'refused'}.`, [], {
      key: 'ledger.allocationRefused',
      params: { ...problem?.params, why: problem?.code ?? 'ledger.refused' },
    });
  }
  await db
    .insertInto('allocations')
    .values({
      company_id: companyId,
      id: newId(),
      invoice_id: input.invoiceId,
      payment_id: source.paymentId,
      credit_note_id: source.creditNoteId,
      date,
      amount: input.amount,
      created_at: nowIso(),
    })
    .execute();
}

export function checkSplit(total: Cents, allocations: AllocationInput[], what: string, currency: string): void {
  const sum = allocations.reduce((acc, a) => acc + a.amount, 0);
  if (sum > total) {
    throw new AppError(
      'over_allocation',
      `The allocations (${formatAmount(sum, currency)} ${currency}) exceed the ${what} (${formatAmount(total, currency)} ${currency}).`,
      [],
      {
        key: what === 'payment amount' ? 'ledger.splitPayment' : 'ledger.splitCreditNote',
        params: { sum, total, currency },
      },
    );
  }
}

export type PaymentInput = Omit<Payment, 'id'> & { importKey?: string | null; allocations: AllocationInput[] };

/** An encaissement; what is not allocated stays as the customer's unallocated credit. */
export async function insertPayment(db: Db, companyId: string, input: PaymentInput): Promise<Payment> {
  if (input.amount <= 0)
    throw new AppError('invalid_input', 'A payment amount must be positive.', [], { key: 'ledger.paymentNotPositive' });
  checkSplit(input.amount, input.allocations, 'payment amount', input.currency);
  return inTransaction(db, async (trx) => {
    const payment: Payment = { id: newId(), ...input };
    await trx
      .insertInto('payments')
      .values({
        company_id: companyId,
        id: payment.id,
        customer_id: input.customerId,
        date: input.date,
        currency: input.currency,
        amount: input.amount,
        method: input.method,
        reference: input.reference,
        import_key: input.importKey ?? null,
        created_at: nowIso(),
      })
      .execute();
    for (const allocation of input.allocations) {
      await allocate(
        trx,
        companyId,
        { paymentId: payment.id, creditNoteId: null },
        input.date,
        input.currency,
        input.customerId,
        allocation,
      );
    }
    return {
      id: payment.id,
      customerId: input.customerId,
      date: input.date,
      currency: input.currency,
      amount: input.amount,
      method: input.method as PaymentMethod,
      reference: input.reference,
    };
  });
}

export type CreditNoteInput = Omit<CreditNote, 'id'> & { allocations: AllocationInput[] };

export async function insertCreditNote(db: Db, companyId: string, input: CreditNoteInput): Promise<CreditNote> {
  if (input.total <= 0)
    throw new AppError('invalid_input', 'A credit note total must be positive.', [], {
      key: 'ledger.creditNoteNotPositive',
    });
  checkSplit(input.total, input.allocations, 'credit note total', input.currency);
  return inTransaction(db, async (trx) => {
    const taken = await trx
      .selectFrom('credit_notes')
      .select('id')
      .where('company_id', '=', companyId)
      .where('number', '=', input.number)
      .executeTakeFirst();
    if (taken)
      throw new AppError('conflict', `A credit note numbered ${input.number} already exists.`, [], {
        key: 'ledger.creditNoteExists',
        params: { number: input.number },
      });
    const id = newId();
    await insertUnique(
      () =>
        trx
          .insertInto('credit_notes')
          .values({
            company_id: companyId,
            id,
            number: input.number,
            customer_id: input.customerId,
            date: input.date,
            currency: input.currency,
            total: input.total,
            reason: input.reason,
            created_at: nowIso(),
          })
          .execute(),
      `A credit note numbered ${input.number} already exists.`,
      { key: 'ledger.creditNoteExists', params: { number: input.number } },
    );
    for (const allocation of input.allocations) {
      await allocate(
        trx,
        companyId,
        { paymentId: null, creditNoteId: id },
        input.date,
        input.currency,
        input.customerId,
        allocation,
      );
    }
    const { allocations: _ignored, ...creditNote } = input;
    return { id, ...creditNote };
  });
}

/** Removes a payment recorded by mistake and gives its amounts back to the invoices' balances. */
export async function removePayment(db: Db, companyId: string, paymentId: string): Promise<void> {
  if (!isId(paymentId))
    throw new AppError('not_found', `No payment with id ${paymentId}.`, [], {
      key: 'problem.notFound.payment',
      params: { id: paymentId },
    });
  await inTransaction(db, async (trx) => {
    const allocations = await trx
      .selectFrom('allocations')
      .select(['invoice_id', 'amount'])
      .where('company_id', '=', companyId)
      .where('payment_id', '=', paymentId)
      .execute();
    for (const a of allocations) {
      await trx
        .updateTable('invoices')
        .set({ allocated: sql`allocated - ${a.amount}`, next_action_date: null, updated_at: nowIso() })
        .where('company_id', '=', companyId)
        .where('id', '=', a.invoice_id)
        .execute();
    }
    await trx
      .deleteFrom('allocations')
      .where('company_id', '=', companyId)
      .where('payment_id', '=', paymentId)
      .execute();
    const result = await trx
      .deleteFrom('payments')
      .where('company_id', '=', companyId)
      .where('id', '=', paymentId)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n)
      throw new AppError('not_found', `No payment with id ${paymentId}.`, [], {
        key: 'problem.notFound.payment',
        params: { id: paymentId },
      });
  });
}

export type AllocationDetail = Allocation & { kind: 'payment' | 'credit_note'; label: string };

/** What an invoice received, oldest first: payments with their method and reference, credit notes. */
export async function listAllocations(db: Db, companyId: string, invoiceId: string): Promise<AllocationDetail[]> {
  if (!isId(invoiceId)) return [];
  const rows = await db
    .selectFrom('allocations as a')
    .leftJoin('payments as p', (j) => j.onRef('p.company_id', '=', 'a.company_id').onRef('p.id', '=', 'a.payment_id'))
    .leftJoin('credit_notes as n', (j) =>
      j.onRef('n.company_id', '=', 'a.company_id').onRef('n.id', '=', 'a.credit_note_id'),
    )
    .select([
      'a.id',
      'a.invoice_id',
      'a.payment_id',
      'a.credit_note_id',
      'a.date',
      'a.amount',
      'p.method',
      'p.reference',
      'n.number as credit_note_number',
    ])
    .where('a.company_id', '=', companyId)
    .where('a.invoice_id', '=', invoiceId)
    .orderBy('a.date')
    .orderBy('a.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoice_id,
    paymentId: r.payment_id,
    creditNoteId: r.credit_note_id,
    date: r.date,
    amount: r.amount,
    kind: r.payment_id ? 'payment' : 'credit_note',
    label: r.payment_id ? [r.method, r.reference].filter(Boolean).join(' ') : `avoir ${r.credit_note_number}`,
  }));
}

import { CompiledQuery } from 'kysely';
import { allocationProblem, type CreditNote, type Payment, type PaymentMethod } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { checkSplit, type CreditNoteInput, type PaymentInput } from './allocations.ts';
import { insertRows } from './bulk.ts';
import { nowIso, type Db } from './database.ts';
import { inIds, inTexts } from './in-list.ts';
import { toInvoice } from './invoices.ts';
import { isPostgres } from './migrations/column-types.ts';
import type { InvoiceRow } from './schema.ts';

/** The columns bulk writers fill, in the order their rows list the values (COPY and multi-row INSERT). */
export const PAYMENT_COLUMNS = [
  'company_id',
  'id',
  'customer_id',
  'date',
  'currency',
  'amount',
  'method',
  'reference',
  'import_key',
  'created_at',
] as const;
const NOTE_COLUMNS = ['company_id', 'id', 'number', 'customer_id', 'date', 'currency', 'total', 'reason', 'created_at'];
export const ALLOCATION_COLUMNS = [
  'company_id',
  'id',
  'invoice_id',
  'payment_id',
  'credit_note_id',
  'date',
  'amount',
  'created_at',
] as const;

export type SettlementBatch = { payments: PaymentInput[]; creditNotes: CreditNoteInput[] };
export type WrittenSettlements = { payments: Payment[]; creditNotes: CreditNote[] };

/** An invoice a batch settles, as read before the batch (what it received so far in `allocated`). */
export type Target = Pick<InvoiceRow, 'id' | 'number' | 'customer_id' | 'status' | 'currency' | 'total' | 'allocated'>;
type Pending = { currency: string; customerId: string; invoiceId: string; amount: number };

/**
 * Many payments and credit notes with their allocations, as insertPayment and insertCreditNote would write them one
 * by one, in a fixed number of statements: the rows by bulk insert (COPY on PostgreSQL), one guarded UPDATE for all
 * the invoices. Every input is checked first, in order, against the invoices as this batch leaves them, so the
 * first refusal is the one the one-by-one writes would have met, with the same message; nothing is written then.
 */
export async function insertSettlements(
  db: Db,
  companyId: string,
  batch: SettlementBatch,
): Promise<WrittenSettlements> {
  const pending: Pending[] = [];
  for (const p of batch.payments) {
    if (p.amount <= 0)
      throw new AppError('invalid_input', 'A payment amount must be positive.', [], {
        key: 'ledger.paymentNotPositive',
      });
    checkSplit(p.amount, p.allocations, 'payment amount', p.currency);
    for (const a of p.allocations) pending.push({ ...a, currency: p.currency, customerId: p.customerId });
  }
  for (const n of batch.creditNotes) {
    if (n.total <= 0)
      throw new AppError('invalid_input', 'A credit note total must be positive.', [], {
        key: 'ledger.creditNoteNotPositive',
      });
    checkSplit(n.total, n.allocations, 'credit note total', n.currency);
    for (const a of n.allocations) pending.push({ ...a, currency: n.currency, customerId: n.customerId });
  }
  await refuseTakenNumbers(
    db,
    companyId,
    batch.creditNotes.map((n) => n.number),
  );
  const targets = await checkAllocations(db, companyId, pending);
  return writeCheckedSettlements(db, companyId, batch, targets);
}

/**
 * The writes of insertSettlements without its checks, for a caller that has made them itself against the same
 * invoices (the CSV import's invoice book, in file order): `added` is what each invoice receives from the batch.
 * The UPDATE keeps its guard, so an invoice changed since it was read still fails the whole batch.
 */
export async function writeCheckedSettlements(
  db: Db,
  companyId: string,
  batch: SettlementBatch,
  added: Map<Target, number>,
): Promise<WrittenSettlements> {
  const now = nowIso();
  const payments: Payment[] = [];
  const creditNotes: CreditNote[] = [];
  const paymentRows: unknown[][] = [];
  const noteRows: unknown[][] = [];
  const allocationRows: unknown[][] = [];
  for (const p of batch.payments) {
    const id = newId();
    paymentRows.push([
      companyId,
      id,
      p.customerId,
      p.date,
      p.currency,
      p.amount,
      p.method,
      p.reference,
      p.importKey ?? null,
      now,
    ]);
    for (const a of p.allocations)
      allocationRows.push([companyId, newId(), a.invoiceId, id, null, p.date, a.amount, now]);
    payments.push({
      id,
      customerId: p.customerId,
      date: p.date,
      currency: p.currency,
      amount: p.amount,
      method: p.method as PaymentMethod,
      reference: p.reference,
    });
  }
  for (const n of batch.creditNotes) {
    const id = newId();
    noteRows.push([companyId, id, n.number, n.customerId, n.date, n.currency, n.total, n.reason, now]);
    for (const a of n.allocations)
      allocationRows.push([companyId, newId(), a.invoiceId, null, id, n.date, a.amount, now]);
    const { allocations: _ignored, ...note } = n;
    creditNotes.push({ id, ...note });
  }
  await insertRows(db, 'payments', PAYMENT_COLUMNS, paymentRows);
  await insertRows(db, 'credit_notes', NOTE_COLUMNS, noteRows);
  await addToInvoices(db, companyId, added, now);
  await insertRows(db, 'allocations', ALLOCATION_COLUMNS, allocationRows);
  return { payments, creditNotes };
}

async function refuseTakenNumbers(db: Db, companyId: string, numbers: string[]): Promise<void> {
  if (numbers.length === 0) return;
  const seen = new Set<string>();
  const taken = new Set(
    (
      await db
        .selectFrom('credit_notes')
        .select('number')
        .where('company_id', '=', companyId)
        .where(inTexts(db, 'number', numbers))
        .execute()
    ).map((r) => r.number),
  );
  for (const number of numbers) {
    if (taken.has(number) || seen.has(number))
      throw new AppError('conflict', `A credit note numbered ${number} already exists.`, [], {
        key: 'ledger.creditNoteExists',
        params: { number },
      });
    seen.add(number);
  }
}

/** The invoices the allocations go to, each with what this batch adds to it; throws allocate()'s refusal for the first that does not fit. */
async function checkAllocations(db: Db, companyId: string, pending: Pending[]): Promise<Map<Target, number>> {
  const added = new Map<Target, number>();
  if (pending.length === 0) return added;
  for (const a of pending) {
    if (!isId(a.invoiceId))
      throw new AppError('not_found', `No invoice with id ${a.invoiceId}.`, [], {
        key: 'problem.notFound.invoice',
        params: { id: a.invoiceId },
      });
  }
  const rows = await db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', [...new Set(pending.map((a) => a.invoiceId))]))
    .execute();
  const byId = new Map(rows.map((r) => [r.id, { ...r }]));
  for (const a of pending) {
    if (a.amount <= 0)
      throw new AppError('invalid_input', 'An allocation must be a positive amount.', [], {
        key: 'ledger.allocationRefused',
        params: { why: 'ledger.notPositive' },
      });
    const row = byId.get(a.invoiceId);
    if (!row)
      throw new AppError('not_found', `No invoice with id ${a.invoiceId}.`, [], {
        key: 'problem.notFound.invoice',
        params: { id: a.invoiceId },
      });
    if (row.customer_id !== a.customerId) {
      throw new AppError('invalid_input', `Invoice ${row.number} belongs to another customer.`, [], {
        key: 'ledger.otherCustomer',
        params: { invoice: row.number },
      });
    }
    const problem = allocationProblem(toInvoice(row), a.amount, a.currency);
    if (problem) {
      throw new AppError('over_allocation', `Cannot allocate: ${problem.reason}.`, [], {
        key: 'ledger.allocationRefused',
        params: { ...problem.params, why: problem.code },
      });
    }
    row.allocated += a.amount;
    added.set(row, (added.get(row) ?? 0) + a.amount);
  }
  return added;
}

/**
 * What each invoice received, with allocate()'s guard (issued, same currency and customer, never beyond the total)
 * kept in the statement for a change made since the check: PostgreSQL in one UPDATE from arrays, SQLite one
 * prepared statement run per invoice (no round trip there). On PostgreSQL `i.id = any(ids)` beside the join has
 * the invoices read by primary key; without it the planner hashed the whole table for each batch of an import.
 */
async function addToInvoices(db: Db, companyId: string, added: Map<Target, number>, now: string): Promise<void> {
  if (added.size === 0) return;
  let changed = 0n;
  if (isPostgres(db)) {
    const ids: string[] = [];
    const amounts: number[] = [];
    const currencies: string[] = [];
    const customers: string[] = [];
    for (const [invoice, amount] of added) {
      ids.push(invoice.id);
      amounts.push(amount);
      currencies.push(invoice.currency);
      customers.push(invoice.customer_id);
    }
    const result = await db.executeQuery(
      CompiledQuery.raw(
        `update invoices i set allocated = i.allocated + v.amount, next_action_date = null, payment_announced_on = null, updated_at = $1
      from unnest($2::uuid[], $3::bigint[], $4::text[], $5::uuid[]) as v(id, amount, currency, customer_id)
      where i.company_id = $6 and i.id = any($2::uuid[]) and i.id = v.id and i.customer_id = v.customer_id
        and i.status = 'issued' and i.currency = v.currency and i.allocated + v.amount <= i.total`,
        [now, ids, amounts, currencies, customers, companyId],
      ),
    );
    changed = result.numAffectedRows ?? 0n;
  } else {
    const rows = [...added].map(([invoice, amount]) => [
      amount,
      now,
      companyId,
      invoice.id,
      invoice.customer_id,
      invoice.currency,
      amount,
    ]);
    const result = await db.executeQuery(
      CompiledQuery.raw(
        `/*each row*/ update invoices set allocated = allocated + ?, next_action_date = null, payment_announced_on = null, updated_at = ?
      where company_id = ? and id = ? and customer_id = ? and status = 'issued' and currency = ? and allocated + ? <= total`,
        rows,
      ),
    );
    changed = result.numAffectedRows ?? 0n;
  }
  if (changed !== BigInt(added.size)) {
    throw new AppError('over_allocation', 'Cannot allocate: refused.', [], {
      key: 'ledger.allocationRefused',
      params: { why: 'ledger.refused' },
    });
  }
}

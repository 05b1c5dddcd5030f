import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import type { Invoice } from '../domain/ledger.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { insertUnique, nowIso, type Db } from './database.ts';
import { inIds, inTexts } from './in-list.ts';
import type { InvoiceRow } from './schema.ts';

export type InvoiceInput = Omit<
  Invoice,
  'id' | 'customerId' | 'allocated' | 'status' | 'disputed' | 'disputeReason' | 'promiseToPayDate'
> &
  Partial<Pick<Invoice, 'status' | 'disputed' | 'disputeReason' | 'promiseToPayDate'>>;

export function toInvoice(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    currency: row.currency,
    totalExclTax: row.total_excl_tax,
    total: row.total,
    allocated: row.allocated,
    title: row.title,
    salesRep: row.sales_rep,
    status: row.status as Invoice['status'],
    disputed: row.disputed === 1,
    disputeReason: row.dispute_reason,
    promiseToPayDate: row.promise_to_pay_date,
  };
}

/** A new invoice's row as createInvoice writes it (bulk imports write many at once). */
export function newInvoiceRow(companyId: string, customerId: string, input: InvoiceInput, now = nowIso()): InvoiceRow {
  return {
    company_id: companyId,
    id: newId(),
    number: input.number,
    customer_id: customerId,
    issue_date: input.issueDate,
    due_date: input.dueDate,
    currency: input.currency,
    total_excl_tax: input.totalExclTax,
    total: input.total,
    allocated: 0,
    title: input.title,
    sales_rep: input.salesRep,
    status: input.status ?? 'issued',
    disputed: input.disputed ? 1 : 0,
    dispute_reason: input.disputeReason ?? null,
    promise_to_pay_date: input.promiseToPayDate ?? null,
    next_action_date: null,
    dunning_category: null,
    category_until: null,
    payment_announced_on: null,
    portal_promise_date: null,
    created_at: now,
    updated_at: now,
  };
}

export async function createInvoice(
  db: Db,
  companyId: string,
  customerId: string,
  input: InvoiceInput,
): Promise<Invoice> {
  if (input.dueDate < input.issueDate) {
    throw new AppError('invalid_input', `Invoice ${input.number}: the due date is before the issue date.`, [], {
      key: 'problem.ledger.dueBeforeIssue',
      params: { invoice: input.number },
    });
  }
  const taken = await db
    .selectFrom('invoices')
    .select('id')
    .where('company_id', '=', companyId)
    .where('number', '=', input.number)
    .executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `An invoice numbered ${input.number} already exists.`, [], {
      key: 'problem.ledger.invoiceExists',
      params: { number: input.number },
    });
  const row = newInvoiceRow(companyId, customerId, input);
  await insertUnique(
    () => db.insertInto('invoices').values(row).execute(),
    `An invoice numbered ${input.number} already exists.`,
    { key: 'problem.ledger.invoiceExists', params: { number: input.number } },
  );
  return toInvoice(row);
}

export async function getInvoiceByNumber(db: Db, companyId: string, number: string): Promise<Invoice> {
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No invoice numbered ${number}.`, [], {
      key: 'problem.notFound.invoiceNumber',
      params: { number },
    });
  return toInvoice(row);
}

export {
  INVOICE_SORTS,
  INVOICE_STATUS_FILTERS,
  invoiceTotals,
  listInvoices,
  sortValue,
  type InvoiceFilter,
  type InvoiceSort,
  type InvoiceListItem,
  type InvoiceStatusFilter,
  type InvoiceTotals,
} from './invoice-list.ts';

export async function getInvoice(db: Db, companyId: string, invoiceId: string): Promise<Invoice> {
  const row = isId(invoiceId)
    ? await db
        .selectFrom('invoices')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', invoiceId)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('not_found', `No invoice with id ${invoiceId}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: invoiceId },
    });
  return toInvoice(row);
}

/** The invoices with these ids (any number of them, one query), in no particular order. */
export async function invoicesByIds(db: Db, companyId: string, ids: readonly string[]): Promise<Invoice[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(inIds(db, 'id', ids))
    .execute();
  return rows.map(toInvoice);
}

async function touch(db: Db, companyId: string, number: string, values: Partial<InvoiceRow>): Promise<Invoice> {
  const result = await db
    .updateTable('invoices')
    .set({ ...values, next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('not_found', `No invoice numbered ${number}.`, [], {
      key: 'problem.notFound.invoiceNumber',
      params: { number },
    });
  return getInvoiceByNumber(db, companyId, number);
}

/** A disputed invoice is held: no reminder until the dispute is cleared. */
export function setDispute(db: Db, companyId: string, number: string, reason: string | null): Promise<Invoice> {
  return touch(db, companyId, number, { disputed: reason === null ? 0 : 1, dispute_reason: reason });
}

export function setPromiseToPay(db: Db, companyId: string, number: string, date: IsoDate | null): Promise<Invoice> {
  return touch(db, companyId, number, { promise_to_pay_date: date });
}

export async function cancelInvoice(db: Db, companyId: string, number: string): Promise<Invoice> {
  const invoice = await getInvoiceByNumber(db, companyId, number);
  if (invoice.allocated > 0) {
    throw new AppError('conflict', `Invoice ${number} has payments or credit notes allocated; remove them first.`, [], {
      key: 'problem.ledger.hasAllocations',
      params: { invoice: number },
    });
  }
  return touch(db, companyId, number, { status: 'cancelled' });
}

/** Keeps the invoice's own PDF, attached to reminders instead of a generated copy. */
export async function attachInvoicePdf(
  db: Db,
  companyId: string,
  number: string,
  filename: string,
  content: Uint8Array,
): Promise<void> {
  const invoice = await getInvoiceByNumber(db, companyId, number);
  if (Buffer.from(content.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new AppError('invalid_input', `${filename} is not a PDF file.`, [], {
      key: 'problem.file.notPdf',
      params: { file: filename },
    });
  }
  const row = {
    company_id: companyId,
    invoice_id: invoice.id,
    filename,
    media_type: 'application/pdf',
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    created_at: nowIso(),
  };
  await db
    .insertInto('invoice_files')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['company_id', 'invoice_id']).doUpdateSet({
        filename: row.filename,
        content: row.content,
        sha256: row.sha256,
        created_at: row.created_at,
      }),
    )
    .execute();
}

export async function getInvoicePdf(
  db: Db,
  companyId: string,
  invoiceId: string,
): Promise<{ filename: string; content: Uint8Array } | null> {
  if (!isId(invoiceId)) return null;
  const row = await db
    .selectFrom('invoice_files')
    .select(['filename', 'content'])
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  return row ? { filename: row.filename, content: new Uint8Array(row.content) } : null;
}

/** The ids of a customer's invoices named by number, in the order given; a number it does not have is refused. */
export async function invoiceIdsByNumbers(
  db: Db,
  companyId: string,
  customerId: string,
  numbers: string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('number', 'in', numbers.length > 0 ? numbers : [''])
    .execute();
  const missing = numbers.filter((n) => !rows.some((r) => r.number === n));
  if (missing.length > 0)
    throw new AppError('invalid_input', `No invoice ${missing.join(', ')} for this customer.`, [], {
      key: 'problem.notFound.invoicesForCustomer',
      params: { numbers: missing.join(', ') },
    });
  return numbers.map((n) => rows.find((r) => r.number === n)!.id);
}

/** The ids of the company's invoices with these numbers, by number, in one statement however many. */
export async function invoiceIdsByNumber(
  db: Db,
  companyId: string,
  numbers: readonly string[],
): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('company_id', '=', companyId)
    .where(inTexts(db, 'number', numbers))
    .execute();
  return new Map(rows.map((row) => [row.number, row.id]));
}

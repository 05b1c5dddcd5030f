import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { balanceOf, daysOverdue, type Invoice } from '../domain/ledger.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { insertUnique, nowIso, type Db } from './database.ts';
import type { InvoiceRow } from './schema.ts';
import { isOpenInvoice } from './open-invoice.ts';
import { isPostgres } from './migrations/column-types.ts';

export type InvoiceInput = Omit<Invoice, 'id' | 'customerId' | 'allocated' | 'status' | 'disputed' | 'disputeReason' |
  'promiseToPayDate'> & Partial<Pick<Invoice, 'status' | 'disputed' | 'disputeReason' | 'promiseToPayDate'>>;

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

export async function createInvoice(db: Db, companyId: string, customerId: string, input: InvoiceInput): Promise<Invoice> {
  if (input.dueDate < input.issueDate) {
    throw new AppError('invalid_input', `Invoice ${input.number}: the due date is before the issue date.`);
  }
  const taken = await db.selectFrom('invoices').select('id')
    .where('company_id', '=', companyId).where('number', '=', input.number).executeTakeFirst();
  if (taken) throw new AppError('conflict', `An invoice numbered ${input.number} already exists.`);
  const now = nowIso();
  const row: InvoiceRow = {
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
    created_at: now,
    updated_at: now,
  };
  await insertUnique(() => db.insertInto('invoices').values(row).execute(), `An invoice numbered ${input.number} already exists.`);
  return toInvoice(row);
}

export async function getInvoiceByNumber(db: Db, companyId: string, number: string): Promise<Invoice> {
  const row = await db.selectFrom('invoices').selectAll()
    .where('company_id', '=', companyId).where('number', '=', number).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No invoice numbered ${number}.`);
  return toInvoice(row);
}

export type InvoiceListItem = Invoice & {
  customerCode: string;
  customerName: string;
  balance: number;
  daysOverdue: number;
};

export const INVOICE_STATUS_FILTERS = ['open', 'overdue', 'paid', 'cancelled', 'disputed'] as const;
export type InvoiceStatusFilter = (typeof INVOICE_STATUS_FILTERS)[number];

export type InvoiceFilter = {
  /** Only invoices with something left to pay. */
  open?: boolean;
  status?: InvoiceStatusFilter;
  customerCode?: string;
  customerId?: string;
  salesRep?: string;
  /** Only invoices of customers of this sales rep (a collector restricted to its représentant). */
  customerSalesRep?: string;
  dueBefore?: IsoDate;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  /** Part of the number, title, customer code or customer name, accents and case ignored as in customer search. */
  text?: string;
  /** Date the lateness is counted at (the company's today by default). */
  asOf: IsoDate;
  /**
   * A "Relances" category as cached per invoice (src/dunning/categories.ts): only rows whose cache is
   * valid on `asOf`, so the caller refreshes the stale ones first.
   */
  cachedCategory?: string;
  limit?: number;
  afterNumber?: string;
  /** Keyset order: by number (default) or by due date then number, after `after`. */
  sort?: 'number' | 'dueDate';
  after?: { number: string; dueDate?: IsoDate };
};

function filteredInvoices(db: Db, companyId: string, filter: InvoiceFilter) {
  let query = db.selectFrom('invoices as i')
    .innerJoin('customers as c', (j) => j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'))
    .where('i.company_id', '=', companyId);
  if (filter.open) query = query.where(isOpenInvoice('i'));
  switch (filter.status) {
    case 'open': query = query.where(isOpenInvoice('i')); break;
    case 'overdue': query = query.where(isOpenInvoice('i')).where('i.due_date', '<', filter.asOf); break;
    case 'paid': query = query.where('i.status', '=', 'issued').whereRef('i.allocated', '>=', 'i.total'); break;
    case 'cancelled': query = query.where('i.status', '=', 'cancelled'); break;
    case 'disputed': query = query.where(isOpenInvoice('i')).where('i.disputed', '=', 1); break;
    default: break;
  }
  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  if (filter.customerId) query = query.where('i.customer_id', '=', isId(filter.customerId) ? filter.customerId : NO_ID);
  if (filter.salesRep) query = query.where('i.sales_rep', '=', filter.salesRep);
  if (filter.customerSalesRep) query = query.where('c.sales_rep', '=', filter.customerSalesRep);
  if (filter.dueBefore) query = query.where('i.due_date', '<', filter.dueBefore);
  if (filter.dueFrom) query = query.where('i.due_date', '>=', filter.dueFrom);
  if (filter.dueTo) query = query.where('i.due_date', '<=', filter.dueTo);
  if (filter.cachedCategory !== undefined) {
    query = query.where('i.dunning_category', '=', filter.cachedCategory).where('i.next_action_date', 'is not', null)
      .where('i.category_until', '>', filter.asOf);
  }
  if (filter.text) {
    const pattern = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or(['i.number', 'i.title', 'c.code', 'c.name'].map((column) =>
      eb(eb.fn('lower', [column as 'i.number']), 'like', sql<string>`${pattern} escape '\\'`))));
  }
  return query;
}

/** An id that matches no row, for a filter given something that cannot be an id. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

export async function listInvoices(db: Db, companyId: string, filter: InvoiceFilter): Promise<InvoiceListItem[]> {
  let query = filteredInvoices(db, companyId, filter)
    .selectAll('i')
    .select(['c.code as customer_code', 'c.name as customer_name'])
    .limit(filter.limit ?? 10_000);
  const after = filter.after ?? (filter.afterNumber ? { number: filter.afterNumber } : undefined);
  if (filter.sort === 'dueDate') {
    query = query.orderBy('i.due_date').orderBy('i.number');
    if (after?.dueDate) {
      const { dueDate, number } = after;
      query = query.where((eb) => eb.or([eb('i.due_date', '>', dueDate),
        eb.and([eb('i.due_date', '=', dueDate), eb('i.number', '>', number)])]));
    }
  } else if ((filter.customerCode || filter.customerId) && !isPostgres(db)) {
    // One customer has few invoices: SQLite must find them by customer and sort them, not walk the
    // number index of the whole company (its statistics can make it pick that); unary + forbids it.
    query = query.orderBy(sql<string>`+${sql.ref('i.number')}`);
    if (after) query = query.where('i.number', '>', after.number);
  } else {
    query = query.orderBy('i.number');
    if (after) query = query.where('i.number', '>', after.number);
  }
  const rows = await query.execute();
  return rows.map((row) => {
    const invoice = toInvoice(row);
    return {
      ...invoice,
      customerCode: row.customer_code,
      customerName: row.customer_name,
      balance: balanceOf(invoice),
      // A settled invoice is no longer late, whatever its due date.
      daysOverdue: balanceOf(invoice) > 0 ? Math.max(0, daysOverdue(invoice.dueDate, filter.asOf)) : 0,
    };
  });
}

/** Count and sums of everything a filter matches, per currency (excl. tax, incl. tax, balance), as in seed 000. */
export type InvoiceTotals = { currency: string; count: number; totalExclTax: number; total: number; balance: number }[];

export async function invoiceTotals(db: Db, companyId: string, filter: Omit<InvoiceFilter, 'limit' | 'after' | 'afterNumber'>):
  Promise<InvoiceTotals> {
  const rows = await filteredInvoices(db, companyId, filter)
    .select((eb) => [
      'i.currency',
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('i.total_excl_tax'), eb.lit(0)).as('excl'),
      eb.fn.coalesce(eb.fn.sum<number>('i.total'), eb.lit(0)).as('total'),
      eb.fn.coalesce(eb.fn.sum<number>(sql`case when i.status = 'issued' then i.total - i.allocated else 0 end`), eb.lit(0))
        .as('balance'),
    ])
    .groupBy('i.currency').orderBy('i.currency').execute();
  return rows.map((r) => ({ currency: r.currency, count: Number(r.n), totalExclTax: Number(r.excl), total: Number(r.total),
    balance: Number(r.balance) }));
}

export async function getInvoice(db: Db, companyId: string, invoiceId: string): Promise<Invoice> {
  const row = isId(invoiceId) ? await db.selectFrom('invoices').selectAll()
    .where('company_id', '=', companyId).where('id', '=', invoiceId).executeTakeFirst() : undefined;
  if (!row) throw new AppError('not_found', `No invoice with id ${invoiceId}.`);
  return toInvoice(row);
}

async function touch(db: Db, companyId: string, number: string, values: Partial<InvoiceRow>): Promise<Invoice> {
  const result = await db.updateTable('invoices').set({ ...values, next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId).where('number', '=', number).executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new AppError('not_found', `No invoice numbered ${number}.`);
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
    throw new AppError('conflict', `Invoice ${number} has payments or credit notes allocated; remove them first.`);
  }
  return touch(db, companyId, number, { status: 'cancelled' });
}

/** Keeps the invoice's own PDF, attached to reminders instead of a generated copy. */
export async function attachInvoicePdf(db: Db, companyId: string, number: string, filename: string,
  content: Uint8Array): Promise<void> {
  const invoice = await getInvoiceByNumber(db, companyId, number);
  if (Buffer.from(content.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new AppError('invalid_input', `${filename} is not a PDF file.`);
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
  await db.insertInto('invoice_files').values(row)
    .onConflict((oc) => oc.columns(['company_id', 'invoice_id']).doUpdateSet({
      filename: row.filename, content: row.content, sha256: row.sha256, created_at: row.created_at,
    }))
    .execute();
}

export async function getInvoicePdf(db: Db, companyId: string, invoiceId: string): Promise<{ filename: string; content: Uint8Array } | null> {
  if (!isId(invoiceId)) return null;
  const row = await db.selectFrom('invoice_files').select(['filename', 'content'])
    .where('company_id', '=', companyId).where('invoice_id', '=', invoiceId).executeTakeFirst();
  return row ? { filename: row.filename, content: new Uint8Array(row.content) } : null;
}

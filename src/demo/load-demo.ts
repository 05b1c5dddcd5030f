import type { Kysely } from 'kysely';
import { customerSearchText } from '../domain/search-text.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { insertRows } from '../storage/bulk.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { holdStatistics, LEDGER_TABLES, refreshStatistics } from '../storage/statistics.ts';
import type { Database } from '../storage/schema.ts';
import { markDemoCompany } from './demo-company.ts';
import { demoCustomers, demoInvoices, type DemoInvoice, type DemoOptions } from './generator.ts';
import type { IsoDate } from '../domain/calendar.ts';

const CHUNK = 2000;

export type DemoSummary = { customers: number; invoices: number; payments: number; creditNotes: number };

const CUSTOMER_COLUMNS = [
  'company_id',
  'id',
  'code',
  'name',
  'kind',
  'siren',
  'vat_number',
  'address_line1',
  'postcode',
  'city',
  'country',
  'language',
  'sales_rep',
  'search_text',
  'created_at',
  'updated_at',
];
const INVOICE_COLUMNS = [
  'company_id',
  'id',
  'number',
  'customer_id',
  'issue_date',
  'due_date',
  'currency',
  'total_excl_tax',
  'total',
  'allocated',
  'title',
  'sales_rep',
  'status',
  'disputed',
  'dispute_reason',
  'promise_to_pay_date',
  'created_at',
  'updated_at',
];
const PAYMENT_COLUMNS = [
  'company_id',
  'id',
  'customer_id',
  'date',
  'currency',
  'amount',
  'method',
  'reference',
  'created_at',
];
const NOTE_COLUMNS = ['company_id', 'id', 'number', 'customer_id', 'date', 'currency', 'total', 'created_at'];
const ALLOCATION_COLUMNS = [
  'company_id',
  'id',
  'invoice_id',
  'payment_id',
  'credit_note_id',
  'date',
  'amount',
  'created_at',
];

async function refuseFilledCompany(db: Db, companyId: string): Promise<void> {
  const any = await db
    .selectFrom('customers')
    .select('id')
    .where('company_id', '=', companyId)
    .limit(1)
    .executeTakeFirst();
  if (any)
    throw new AppError(
      'conflict',
      'This company already has customers; load demo data into an empty database (use --db).',
      [],
      { key: 'problem.demo.notEmpty' },
    );
}

/** Writes the demo customers (each with its billing contact) in bulk and returns their ids in order. */
async function insertDemoCustomers(db: Db, companyId: string, options: DemoOptions, now: string): Promise<string[]> {
  const customerIds: string[] = [];
  let customers: unknown[][] = [];
  let contacts: unknown[][] = [];
  const flush = async () => {
    await insertRows(db, 'customers', CUSTOMER_COLUMNS, customers);
    await insertRows(
      db,
      'contacts',
      ['company_id', 'id', 'customer_id', 'email', 'phone', 'role', 'is_primary'],
      contacts,
    );
    customers = [];
    contacts = [];
  };
  for (const c of demoCustomers(options)) {
    const id = newId();
    customerIds.push(id);
    customers.push([
      companyId,
      id,
      c.code,
      c.name,
      c.kind,
      c.siren,
      c.vat,
      c.address1,
      c.postcode,
      c.city,
      c.country,
      c.language,
      c.salesRep,
      customerSearchText(c.code, c.name),
      now,
      now,
    ]);
    contacts.push([companyId, newId(), id, c.email, c.phone, 'billing', 1]);
    if (customers.length >= CHUNK) await flush();
  }
  await flush();
  return customerIds;
}

/** What the writer leaves to the caller: an invoice's id, settlements and holds not written with it. */
export type WrittenInvoice = { invoiceId: string; customerId: string; invoice: DemoInvoice };

export type DemoLedgerWriter = {
  /**
   * Queues an invoice with its settlements dated before `settledBefore` (all of them without it), and its
   * dispute and promise unless `withHolds` is false.
   */
  add(invoice: DemoInvoice, options?: { settledBefore?: IsoDate; withHolds?: boolean }): WrittenInvoice;
  flush(): Promise<void>;
  pending(): number;
  summary: DemoSummary;
};

/** Bulk writer of demo invoices, payments, credit notes and allocations (allocations computed up front). */
export function demoLedgerWriter(db: Db, companyId: string, customerIds: string[], now: string): DemoLedgerWriter {
  const summary: DemoSummary = { customers: customerIds.length, invoices: 0, payments: 0, creditNotes: 0 };
  let invoices: unknown[][] = [];
  let payments: unknown[][] = [];
  let notes: unknown[][] = [];
  let allocations: unknown[][] = [];
  return {
    summary,
    pending: () => invoices.length,
    add(inv, options = {}) {
      const id = newId();
      const customerId = customerIds[inv.customerIndex]!;
      let allocated = 0;
      for (const s of inv.settlements) {
        if (options.settledBefore !== undefined && s.date >= options.settledBefore) continue;
        const sourceId = newId();
        allocated += s.amount;
        if (s.kind === 'payment') {
          payments.push([companyId, sourceId, customerId, s.date, inv.currency, s.amount, s.method, s.reference, now]);
          allocations.push([companyId, newId(), id, sourceId, null, s.date, s.amount, now]);
          summary.payments++;
        } else {
          notes.push([companyId, sourceId, s.number, customerId, s.date, inv.currency, s.amount, now]);
          allocations.push([companyId, newId(), id, null, sourceId, s.date, s.amount, now]);
          summary.creditNotes++;
        }
      }
      const holds = options.withHolds !== false;
      invoices.push([
        companyId,
        id,
        inv.number,
        customerId,
        inv.issueDate,
        inv.dueDate,
        inv.currency,
        inv.totalExclTax,
        inv.total,
        allocated,
        inv.title,
        inv.salesRep,
        'issued',
        holds && inv.disputeReason ? 1 : 0,
        holds ? inv.disputeReason : null,
        holds ? inv.promiseToPayDate : null,
        now,
        now,
      ]);
      summary.invoices++;
      return { invoiceId: id, customerId, invoice: inv };
    },
    async flush() {
      await insertRows(db, 'invoices', INVOICE_COLUMNS, invoices);
      await insertRows(db, 'payments', PAYMENT_COLUMNS, payments);
      await insertRows(db, 'credit_notes', NOTE_COLUMNS, notes);
      await insertRows(db, 'allocations', ALLOCATION_COLUMNS, allocations);
      invoices = [];
      payments = [];
      notes = [];
      allocations = [];
    },
  };
}

/**
 * Writes the demo ledger straight into the tables in one transaction (bulk inserts, allocations
 * computed up front), which is what lets a 1M-invoice benchmark data set load in reasonable time.
 * The ledger is as it stands on `asOf`, without any reminder: `loadDemoWithHistory` gives it a past.
 */
export async function loadDemo(
  db: Kysely<Database>,
  companyId: string,
  options: DemoOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<DemoSummary> {
  await refuseFilledCompany(db, companyId);
  const now = nowIso();
  const summary = await db.transaction().execute(async (trx) => {
    await holdStatistics(trx, LEDGER_TABLES, options.invoices);
    const writer = demoLedgerWriter(trx, companyId, await insertDemoCustomers(trx, companyId, options, now), now);
    for (const inv of demoInvoices(options)) {
      writer.add(inv);
      if (writer.pending() >= CHUNK) {
        await writer.flush();
        onProgress?.(writer.summary.invoices, options.invoices);
      }
    }
    await writer.flush();
    onProgress?.(writer.summary.invoices, options.invoices);
    await markDemoCompany(trx, companyId);
    return writer.summary;
  });
  await refreshStatistics(
    db,
    LEDGER_TABLES,
    summary.customers + summary.invoices + summary.payments + summary.creditNotes,
  );
  return summary;
}

/** The first part of a demo with a past: the customers and the invoices issued before `from`, in one transaction. */
export async function startDemoLedger(
  db: Kysely<Database>,
  companyId: string,
  options: DemoOptions,
  from: IsoDate,
): Promise<{ customerIds: string[]; later: DemoInvoice[]; written: WrittenInvoice[]; summary: DemoSummary }> {
  await refuseFilledCompany(db, companyId);
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const customerIds = await insertDemoCustomers(trx, companyId, options, now);
    const writer = demoLedgerWriter(trx, companyId, customerIds, now);
    const later: DemoInvoice[] = [];
    const written: WrittenInvoice[] = [];
    for (const inv of demoInvoices(options)) {
      if (inv.issueDate >= from) later.push(inv);
      else written.push(writer.add(inv, { settledBefore: from, withHolds: false }));
      if (writer.pending() >= CHUNK) await writer.flush();
    }
    await writer.flush();
    await markDemoCompany(trx, companyId);
    return { customerIds, later, written, summary: writer.summary };
  });
}

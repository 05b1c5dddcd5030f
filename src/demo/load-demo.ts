import type { Kysely } from 'kysely';
import { customerSearchText } from '../domain/search-text.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { insertRows } from '../storage/bulk.ts';
import { nowIso } from '../storage/database.ts';
import { LEDGER_TABLES, refreshStatistics } from '../storage/statistics.ts';
import type { Database } from '../storage/schema.ts';
import { markDemoCompany } from './demo-company.ts';
import { demoCustomers, demoInvoices, type DemoOptions } from './generator.ts';

const CHUNK = 2000;

export type DemoSummary = { customers: number; invoices: number; payments: number; creditNotes: number };

/**
 * Writes the demo ledger straight into the tables in one transaction (bulk inserts, allocations
 * computed up front), which is what lets a 1M-invoice benchmark data set load in reasonable time.
 */
export async function loadDemo(
  db: Kysely<Database>,
  companyId: string,
  options: DemoOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<DemoSummary> {
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
    );
  const summary: DemoSummary = { customers: 0, invoices: 0, payments: 0, creditNotes: 0 };
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const customerIds: string[] = [];
    let customers: unknown[][] = [];
    let contacts: unknown[][] = [];
    const flushCustomers = async () => {
      await insertRows(
        trx,
        'customers',
        [
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
        ],
        customers,
      );
      await insertRows(
        trx,
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
      if (customers.length >= CHUNK) await flushCustomers();
    }
    await flushCustomers();
    summary.customers = customerIds.length;

    let invoices: unknown[][] = [];
    let payments: unknown[][] = [];
    let notes: unknown[][] = [];
    let allocations: unknown[][] = [];
    const flush = async () => {
      await insertRows(
        trx,
        'invoices',
        [
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
        ],
        invoices,
      );
      await insertRows(
        trx,
        'payments',
        ['company_id', 'id', 'customer_id', 'date', 'currency', 'amount', 'method', 'reference', 'created_at'],
        payments,
      );
      await insertRows(
        trx,
        'credit_notes',
        ['company_id', 'id', 'number', 'customer_id', 'date', 'currency', 'total', 'created_at'],
        notes,
      );
      await insertRows(
        trx,
        'allocations',
        ['company_id', 'id', 'invoice_id', 'payment_id', 'credit_note_id', 'date', 'amount', 'created_at'],
        allocations,
      );
      invoices = [];
      payments = [];
      notes = [];
      allocations = [];
    };
    for (const inv of demoInvoices(options)) {
      const id = newId();
      const customerId = customerIds[inv.customerIndex]!;
      let allocated = 0;
      for (const s of inv.settlements) {
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
        inv.disputeReason ? 1 : 0,
        inv.disputeReason,
        inv.promiseToPayDate,
        now,
        now,
      ]);
      summary.invoices++;
      if (invoices.length >= CHUNK) {
        await flush();
        onProgress?.(summary.invoices, options.invoices);
      }
    }
    await flush();
    onProgress?.(summary.invoices, options.invoices);
    await markDemoCompany(trx, companyId);
  });
  await refreshStatistics(
    db,
    LEDGER_TABLES,
    summary.customers + summary.invoices + summary.payments + summary.creditNotes,
  );
  return summary;
}

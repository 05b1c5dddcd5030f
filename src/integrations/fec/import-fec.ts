import { sql, type Kysely } from 'kysely';
import { addDays, type IsoDate } from '../../domain/calendar.ts';
import { defaultLanguageFor } from '../../domain/countries.ts';
import type { FieldIssue } from '../../shared/errors.ts';
import type { Database } from '../../storage/schema.ts';
import type { Db } from '../../storage/database.ts';
import { newCustomerRow } from '../../storage/customers.ts';
import { newInvoiceRow } from '../../storage/invoices.ts';
import type { CustomerRow, InvoiceRow } from '../../storage/schema.ts';
import { insertRecords } from '../../storage/bulk.ts';
import type { SettlementBatch } from '../../storage/bulk-settlements.ts';
import { nowIso } from '../../storage/database.ts';
import { inTexts } from '../../storage/in-list.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { writeSettlements } from '../../settlements/write-settlements.ts';
import { auditBy } from '../../storage/audit.ts';
import { readFec } from './read-fec.ts';
import { importTransaction } from '../dry-run.ts';
import { fecOpenItems, type FecOpenItems } from './open-items.ts';

export type FecImportReport = {
  file: string;
  separator: '|' | 'tab';
  summary: FecOpenItems['summary'];
  customers: { created: number; existing: number };
  invoices: { created: number; unchanged: number; open: number };
  payments: { created: number; unchanged: number };
  creditNotes: { created: number; unchanged: number };
  /** Lines left out with --skip-invalid. */
  issues: FieldIssue[];
  dryRun: boolean;
};

/**
 * `relance import fec FILE`: the open items of the customer accounts (see fecOpenItems) become
 * customers (code = auxiliary account), invoices (number = PieceRef, due `termsDays` after the piece
 * date, the FEC having no due date), payments and credit notes allocated by lettering. One
 * transaction; what already exists (same customer code, invoice or credit-note number, payment key)
 * is left as it is, so importing the same FEC again changes nothing.
 */
export async function importFec(
  db: Kysely<Database>,
  actor: Actor,
  options: {
    fileName: string;
    bytes: Uint8Array;
    currency: string;
    termsDays?: number;
    asOf?: IsoDate;
    skipInvalid?: boolean;
    dryRun?: boolean;
  },
): Promise<FecImportReport> {
  const companyId = actor.companyId;
  const { lines, issues, separator } = readFec(options.fileName, options.bytes, { skipInvalid: options.skipInvalid });
  const items = fecOpenItems(lines, { currency: options.currency, asOf: options.asOf });
  const report: FecImportReport = {
    file: options.fileName,
    separator,
    summary: items.summary,
    customers: { created: 0, existing: 0 },
    invoices: { created: 0, unchanged: 0, open: items.invoices.length },
    payments: { created: 0, unchanged: 0 },
    creditNotes: { created: 0, unchanged: 0 },
    issues,
    dryRun: options.dryRun ?? false,
  };
  await importTransaction(
    db,
    options.dryRun,
    async (trx) => {
      const now = nowIso();
      const customerIds = await knownKeys(trx, companyId, 'customers', 'code', [...items.customers.keys()]);
      const newCustomers: CustomerRow[] = [];
      for (const [code, name] of items.customers) {
        if (customerIds.has(code)) {
          report.customers.existing++;
          continue;
        }
        const row = newCustomerRow(
          companyId,
          {
            code,
            name: name || code,
            kind: 'company',
            siren: null,
            vatNumber: null,
            address: { line1: null, line2: null, postcode: null, city: null, country: 'FR' },
            language: defaultLanguageFor('FR'),
            salesRep: null,
            paymentTerms: null,
            notes: null,
          },
          now,
        );
        newCustomers.push(row);
        customerIds.set(code, row.id);
        report.customers.created++;
      }
      await insertRecords(trx, 'customers', newCustomers);

      const invoiceIds = new Map<string, { id: string; balance: number }>();
      const existing = await trx
        .selectFrom('invoices')
        .select(['id', 'number', 'total', 'allocated'])
        .where('company_id', '=', companyId)
        .where(
          inTexts(
            trx,
            'number',
            items.invoices.map((i) => i.number),
          ),
        )
        .execute();
      for (const found of existing)
        invoiceIds.set(found.number, { id: found.id, balance: found.total - found.allocated });
      const newInvoices: InvoiceRow[] = [];
      for (const invoice of items.invoices) {
        if (invoiceIds.has(invoice.number)) {
          report.invoices.unchanged++;
          continue;
        }
        const dueDate = addDays(invoice.issueDate, options.termsDays ?? 30);
        if (dueDate < invoice.issueDate) {
          throw new AppError('invalid_input', `Invoice ${invoice.number}: the due date is before the issue date.`, [], {
            key: 'problem.ledger.dueBeforeIssue',
            params: { invoice: invoice.number },
          });
        }
        const row = newInvoiceRow(
          companyId,
          customerIds.get(invoice.customerCode)!,
          {
            number: invoice.number,
            issueDate: invoice.issueDate,
            dueDate,
            currency: invoice.currency,
            totalExclTax: null,
            total: invoice.total,
            title: null,
            salesRep: null,
          },
          now,
        );
        newInvoices.push(row);
        invoiceIds.set(invoice.number, { id: row.id, balance: invoice.total });
        report.invoices.created++;
      }
      await insertRecords(trx, 'invoices', newInvoices);

      const byId = new Map([...invoiceIds.values()].map((t) => [t.id, t]));
      const paymentKeys = await knownKeys(
        trx,
        companyId,
        'payments',
        'import_key',
        items.settlements.filter((s) => s.kind === 'payment').map((s) => s.key),
      );
      const noteNumbers = await knownKeys(
        trx,
        companyId,
        'credit_notes',
        'number',
        items.settlements.filter((s) => s.kind !== 'payment').map((s) => s.number),
      );
      const batch: SettlementBatch = { payments: [], creditNotes: [] };
      for (const s of items.settlements) {
        const customerId = customerIds.get(s.customerCode)!;
        const known = s.kind === 'payment' ? paymentKeys : noteNumbers;
        const key = s.kind === 'payment' ? s.key : s.number;
        if (known.has(key)) {
          if (s.kind === 'payment') report.payments.unchanged++;
          else report.creditNotes.unchanged++;
          continue;
        }
        known.set(key, '');
        const allocations: { invoiceId: string; amount: number }[] = [];
        let left = s.amount;
        for (const number of s.allocateTo) {
          const target = invoiceIds.get(number);
          if (!target || left <= 0) continue;
          const part = Math.min(left, target.balance);
          if (part <= 0) continue;
          allocations.push({ invoiceId: target.id, amount: part });
          left -= part;
        }
        if (s.kind === 'payment') {
          batch.payments.push({
            customerId,
            date: s.date,
            currency: s.currency,
            amount: s.amount,
            method: s.method,
            reference: s.number,
            importKey: s.key,
            allocations,
          });
          report.payments.created++;
        } else {
          batch.creditNotes.push({
            number: s.number,
            customerId,
            date: s.date,
            currency: s.currency,
            total: s.amount,
            reason: 'FEC',
            allocations,
          });
          report.creditNotes.created++;
        }
        for (const a of allocations) byId.get(a.invoiceId)!.balance -= a.amount;
      }
      await writeSettlements(trx, actor, batch);
      await auditBy(trx, actor, 'import', 'fec', {
        file: report.file,
        customers: report.customers.created,
        invoices: report.invoices.created,
        payments: report.payments.created,
        creditNotes: report.creditNotes.created,
      });
    },
    () => report.customers.created + report.invoices.created + report.payments.created + report.creditNotes.created,
  );
  return report;
}

/** The rows of `table` whose `column` is one of `values`: each value with its row's id, in one query. */
async function knownKeys(
  db: Db,
  companyId: string,
  table: 'customers' | 'payments' | 'credit_notes',
  column: 'code' | 'import_key' | 'number',
  values: string[],
): Promise<Map<string, string>> {
  if (values.length === 0) return new Map();
  const rows = await db
    .selectFrom(table)
    .select(['id', sql.ref<string>(column).as('key')])
    .where('company_id', '=', companyId)
    .where(inTexts(db, column, values))
    .execute();
  return new Map(rows.map((r) => [r.key, r.id]));
}

import type { Kysely } from 'kysely';
import { addDays, type IsoDate } from '../../domain/calendar.ts';
import { defaultLanguageFor } from '../../domain/countries.ts';
import type { FieldIssue } from '../../shared/errors.ts';
import type { Database } from '../../storage/schema.ts';
import { createCustomer } from '../../storage/customers.ts';
import { createInvoice } from '../../storage/invoices.ts';
import type { Actor } from '../../shared/actor.ts';
import { writeCreditNote } from '../../settlements/record-credit-note.ts';
import { writePayment } from '../../settlements/record-payment.ts';
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
      const customerIds = new Map<string, string>();
      for (const [code, name] of items.customers) {
        const found = await trx
          .selectFrom('customers')
          .select('id')
          .where('company_id', '=', companyId)
          .where('code', '=', code)
          .executeTakeFirst();
        if (found) {
          customerIds.set(code, found.id);
          report.customers.existing++;
          continue;
        }
        const created = await createCustomer(trx, companyId, {
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
        });
        customerIds.set(code, created.id);
        report.customers.created++;
      }
      const invoiceIds = new Map<string, { id: string; balance: number }>();
      for (const invoice of items.invoices) {
        const found = await trx
          .selectFrom('invoices')
          .select(['id', 'total', 'allocated'])
          .where('company_id', '=', companyId)
          .where('number', '=', invoice.number)
          .executeTakeFirst();
        if (found) {
          invoiceIds.set(invoice.number, { id: found.id, balance: found.total - found.allocated });
          report.invoices.unchanged++;
          continue;
        }
        const created = await createInvoice(trx, companyId, customerIds.get(invoice.customerCode)!, {
          number: invoice.number,
          issueDate: invoice.issueDate,
          dueDate: addDays(invoice.issueDate, options.termsDays ?? 30),
          currency: invoice.currency,
          totalExclTax: null,
          total: invoice.total,
          title: null,
          salesRep: null,
        });
        invoiceIds.set(invoice.number, { id: created.id, balance: invoice.total });
        report.invoices.created++;
      }
      const byId = new Map([...invoiceIds.values()].map((t) => [t.id, t]));
      for (const s of items.settlements) {
        const customerId = customerIds.get(s.customerCode)!;
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
          const known = await trx
            .selectFrom('payments')
            .select('id')
            .where('company_id', '=', companyId)
            .where('import_key', '=', s.key)
            .executeTakeFirst();
          if (known) {
            report.payments.unchanged++;
            continue;
          }
          await writePayment(trx, actor, {
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
          const known = await trx
            .selectFrom('credit_notes')
            .select('id')
            .where('company_id', '=', companyId)
            .where('number', '=', s.number)
            .executeTakeFirst();
          if (known) {
            report.creditNotes.unchanged++;
            continue;
          }
          await writeCreditNote(trx, actor, {
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

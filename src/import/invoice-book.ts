import { allocationProblem } from '../domain/ledger.ts';
import type { Db } from '../storage/database.ts';
import { inTexts } from '../storage/in-list.ts';
import type { InvoiceRow } from '../storage/schema.ts';
import { enqueueEvent } from '../storage/webhooks.ts';
import type { ImportContext } from './handler.ts';
import { reason, type RowReader } from './row-reader.ts';

export type InvoiceState = Pick<
  InvoiceRow,
  'id' | 'number' | 'customer_id' | 'currency' | 'total' | 'allocated' | 'status'
>;

/**
 * Invoices touched by the file, with what they have received so far in this import, so that two rows
 * paying the same invoice are checked against each other before anything is written.
 */
export class InvoiceBook {
  private readonly byNumber = new Map<string, InvoiceState | null>();

  async load(ctx: ImportContext, numbers: string[]): Promise<void> {
    const missing = [...new Set(numbers.filter((n) => n !== '' && !this.byNumber.has(n)))];
    if (missing.length === 0) return;
    const rows = await ctx.trx
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'currency', 'total', 'allocated', 'status'])
      .where('company_id', '=', ctx.company.id)
      .where(inTexts(ctx.trx, 'number', missing))
      .execute();
    for (const n of missing) this.byNumber.set(n, null);
    for (const r of rows) this.byNumber.set(r.number, { ...r });
  }

  find(row: RowReader, column: string): InvoiceState | null {
    const number = row.required(column);
    if (number === '') return null;
    const invoice = this.byNumber.get(number) ?? null;
    if (!invoice)
      row.fail(column, reason('import.row.noInvoice', `no invoice numbered "${number}"`, { value: number }), number);
    return invoice;
  }

  /** Reserves `amount` on the invoice, or records why it does not fit. */
  reserve(row: RowReader, column: string, invoice: InvoiceState, amount: number): boolean {
    const problem = allocationProblem({ ...invoice, status: invoice.status as 'issued' }, amount, invoice.currency);
    if (problem) {
      row.fail(column, problem, row.text(column));
      return false;
    }
    invoice.allocated += amount;
    return true;
  }
}

/** invoice.paid for an invoice the row just settled (its book entry holds what it has received), in the import's transaction. */
export async function announceIfPaid(db: Db, companyId: string, invoice: InvoiceState): Promise<void> {
  if (invoice.allocated < invoice.total) return;
  await enqueueEvent(db, companyId, 'invoice.paid', {
    invoiceId: invoice.id,
    number: invoice.number,
    total: invoice.total,
    currency: invoice.currency,
  });
}

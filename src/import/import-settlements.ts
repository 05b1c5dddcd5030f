import { allocationProblem, type PaymentMethod } from '../domain/ledger.ts';
import { formatAmount } from '../domain/money.ts';
import { customerIndex } from '../storage/customers.ts';
import type { CreditNoteInput } from '../storage/allocations.ts';
import { insertSettlements } from '../storage/bulk-settlements.ts';
import type { Db } from '../storage/database.ts';
import { inTexts } from '../storage/in-list.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { enqueueEvent, enqueueEvents } from '../storage/webhooks.ts';
import { SeenKeys, type ImportContext, type ImportHandler } from './handler.ts';
import { reason, type RowReader } from './row-reader.ts';
import { writePayments, type InvoiceState, type PaymentDraft } from './write-payments.ts';

export const PAYMENT_METHODS: Record<string, PaymentMethod> = {
  transfer: 'transfer',
  virement: 'transfer',
  vir: 'transfer',
  bank_transfer: 'transfer',
  sepa: 'transfer',
  cheque: 'cheque',
  chq: 'cheque',
  check: 'cheque',
  card: 'card',
  cb: 'card',
  carte: 'card',
  carte_bancaire: 'card',
  credit_card: 'card',
  direct_debit: 'direct_debit',
  prelevement: 'direct_debit',
  prlv: 'direct_debit',
  sepa_debit: 'direct_debit',
  cash: 'cash',
  especes: 'cash',
  liquide: 'cash',
  other: 'other',
  autre: 'other',
};

/**
 * Invoices touched by the file, with what they have received so far in this import, so that two rows
 * paying the same invoice are checked against each other before anything is written.
 */
class InvoiceBook {
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
async function announceIfPaid(db: Db, companyId: string, invoice: InvoiceState): Promise<void> {
  if (invoice.allocated < invoice.total) return;
  await enqueueEvent(db, companyId, 'invoice.paid', {
    invoiceId: invoice.id,
    number: invoice.number,
    total: invoice.total,
    currency: invoice.currency,
  });
}

/**
 * Payments written at once on PostgreSQL. Per chunk of 500, the three statements' fixed costs (a COPY's start and
 * end on both sides, the UPDATE's planning over its arrays) cost as much CPU as the rows themselves. Bounded so
 * that a file of a million rows does not hold them all.
 */
const PG_BATCH = 50_000;
const PG_CHUNK = 5000;

/** One payment per row, allocated in full to the row's invoice; re-importing a row adds nothing. */
export function paymentsHandler(): ImportHandler {
  const book = new InvoiceBook();
  const occurrences = new Map<string, number>();
  // Read once: the import's transaction holds the ledger, and without a subscriber nothing is queued.
  let announcePaid = false;
  // PostgreSQL: checked payments wait here and are written PG_BATCH at a time (COPY, one UPDATE, COPY), see
  // PG_BATCH. Nothing later in the file reads them back: the book holds each invoice's running total and the
  // occurrence numbers keep the file's keys distinct, so the chunks' checks are the same either way.
  const pending: PaymentDraft[] = [];
  let batch = 0;
  const flush = (ctx: ImportContext) => writePayments(ctx, pending.splice(0));
  return {
    required: ['invoice', 'date', 'amount', 'method'],
    optional: ['reference'],
    resolvesReferences: true,
    chunkSize: 500,
    pgChunkSize: PG_CHUNK,
    async begin(ctx) {
      batch = isPostgres(ctx.trx) ? PG_BATCH : 0;
      const hooks = await ctx.trx
        .selectFrom('webhooks')
        .select('events')
        .where('company_id', '=', ctx.company.id)
        .where('active', '=', 1)
        .execute();
      announcePaid = hooks.some((h) => h.events.split(',').includes('invoice.paid'));
    },
    async chunk(ctx, rows) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      await book.load(
        ctx,
        rows.map((r) => r.text('invoice')),
      );
      const drafts = rows
        .map((row) => {
          const invoice = book.find(row, 'invoice');
          const date = row.date('date');
          const method = row.choice('method', PAYMENT_METHODS);
          const amount = invoice ? row.amount('amount', invoice.currency, { positive: true }) : null;
          const reference = row.optional('reference');
          if (!row.ok) return null;
          // Two identical rows are two payments (two cheques of the same amount): number each occurrence.
          const base = [invoice!.number, date, amount, method, reference ?? ''].join('|');
          const n = (occurrences.get(base) ?? 0) + 1;
          occurrences.set(base, n);
          return {
            row,
            invoice: invoice!,
            date: date!,
            method: method!,
            amount: amount!,
            reference,
            key: `${base}#${n}`,
          };
        })
        .filter((d) => d !== null);
      if (drafts.length === 0) return outcome;
      const known = new Set(
        (
          await ctx.trx
            .selectFrom('payments')
            .select('import_key')
            .where('company_id', '=', ctx.company.id)
            .where(
              inTexts(
                ctx.trx,
                'import_key',
                drafts.map((d) => d.key),
              ),
            )
            .execute()
        ).map((p) => p.import_key),
      );
      const writes: PaymentDraft[] = [];
      const settled: InvoiceState[] = [];
      for (const d of drafts) {
        if (known.has(d.key)) {
          outcome.unchanged++;
          // Without a reference, a new payment identical to an earlier one cannot be told from a re-import.
          if (d.reference === null && !ctx.sameFileBefore) {
            ctx.warn(
              d.row.line,
              `taken as already imported: same invoice, date, amount and method as an earlier payment, ` +
                'and no reference to tell them apart; if it is a second payment, add a reference',
            );
          }
          continue;
        }
        if (!book.reserve(d.row, 'amount', d.invoice, d.amount) || !ctx.write) continue;
        writes.push(d);
        if (d.invoice.allocated >= d.invoice.total) settled.push(d.invoice);
        outcome.created++;
      }
      // An import bound to roll back writes nothing more (ctx.write), and what waits is dropped.
      if (!ctx.write) pending.length = 0;
      pending.push(...writes);
      if (pending.length >= batch) await flush(ctx);
      if (announcePaid) for (const invoice of settled) await announceIfPaid(ctx.trx, ctx.company.id, invoice);
      return outcome;
    },
    finish: flush,
  };
}

/** Credit notes are keyed by number and, being accounting documents, never changed by a re-import. */
export function creditNotesHandler(): ImportHandler {
  const book = new InvoiceBook();
  const seen = new SeenKeys();
  let customers = new Map<string, { id: string }>();
  // As for payments: on PostgreSQL the checked notes (and the invoices they settle) are written PG_BATCH at a time;
  // a note's number is checked against the file by `seen` and against the database, where none of them is yet.
  const notes: CreditNoteInput[] = [];
  const settled: InvoiceState[] = [];
  let batch = 0;
  const flush = async (ctx: ImportContext) => {
    await insertSettlements(ctx.trx, ctx.company.id, { payments: [], creditNotes: notes.splice(0) });
    await enqueueEvents(
      ctx.trx,
      ctx.company.id,
      'invoice.paid',
      settled.splice(0).map((i) => ({ invoiceId: i.id, number: i.number, total: i.total, currency: i.currency })),
    );
  };
  return {
    required: ['number', 'customer', 'date', 'total', 'invoice'],
    optional: ['reason'],
    chunkSize: 500,
    pgChunkSize: PG_CHUNK,
    async begin(ctx) {
      customers = await customerIndex(ctx.trx, ctx.company.id);
      batch = isPostgres(ctx.trx) ? PG_BATCH : 0;
    },
    async chunk(ctx, rows) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      await book.load(
        ctx,
        rows.map((r) => r.text('invoice')),
      );
      const existing = new Map(
        (
          await ctx.trx
            .selectFrom('credit_notes as n')
            .leftJoin('allocations as a', (j) =>
              j.onRef('a.company_id', '=', 'n.company_id').onRef('a.credit_note_id', '=', 'n.id'),
            )
            .select(['n.number', 'n.customer_id', 'n.date', 'n.total', 'a.invoice_id'])
            .where('n.company_id', '=', ctx.company.id)
            .where(
              inTexts(
                ctx.trx,
                'n.number',
                rows.map((r) => r.text('number')),
              ),
            )
            .execute()
        ).map((n) => [n.number, n]),
      );
      for (const row of rows) {
        const number = row.required('number');
        const code = row.required('customer');
        const customer = customers.get(code);
        if (code !== '' && !customer)
          row.fail(
            'customer',
            reason('import.row.noCustomer', `no customer with code "${code}"`, { value: code }),
            code,
          );
        const date = row.date('date');
        const invoice = book.find(row, 'invoice');
        const total = invoice ? row.amount('total', invoice.currency, { positive: true }) : null;
        if (invoice && customer && invoice.customer_id !== customer.id) {
          row.fail(
            'invoice',
            reason('import.row.otherCustomer', `invoice ${invoice.number} belongs to another customer than "${code}"`, {
              invoice: invoice.number,
              customer: code,
            }),
            invoice.number,
          );
        }
        if (number !== '') seen.claim(row, 'number', number);
        if (!row.ok) continue;
        const current = existing.get(number);
        if (current) {
          if (
            current.customer_id === customer!.id &&
            current.date === date &&
            current.total === total &&
            current.invoice_id === invoice!.id
          ) {
            outcome.unchanged++;
          } else {
            row.fail(
              'number',
              reason(
                'import.row.creditNoteChanged',
                `credit note ${number} already exists with other values ` +
                  `(${formatAmount(current.total, invoice!.currency)} on ${current.date}); credit notes are not changed by import`,
                { number, total: current.total, currency: invoice!.currency, date: current.date },
              ),
            );
          }
          continue;
        }
        if (!book.reserve(row, 'total', invoice!, total!) || !ctx.write) continue;
        notes.push({
          number,
          customerId: customer!.id,
          date: date!,
          currency: invoice!.currency,
          total: total!,
          reason: row.optional('reason'),
          allocations: [{ invoiceId: invoice!.id, amount: total! }],
        });
        if (invoice!.allocated >= invoice!.total) settled.push(invoice!);
        outcome.created++;
      }
      // The notes in a few statements (COPY on PostgreSQL) instead of four queries a row.
      if (!ctx.write) notes.length = settled.length = 0;
      if (notes.length >= batch) await flush(ctx);
      return outcome;
    },
    finish: flush,
  };
}

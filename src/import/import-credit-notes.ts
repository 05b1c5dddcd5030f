import { formatAmount } from '../domain/money.ts';
import type { CreditNoteInput } from '../storage/allocations.ts';
import { writeCheckedSettlements } from '../storage/bulk-settlements.ts';
import { inTexts } from '../storage/in-list.ts';
import { enqueueEvents } from '../storage/webhooks.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { SeenKeys, type ImportContext, type ImportHandler } from './handler.ts';
import { InvoiceBook, type InvoiceState } from './invoice-book.ts';
import { PG_BATCH, PG_CHUNK } from './import-payments.ts';
import { reason } from './row-reader.ts';

/** Credit notes are keyed by number and, being accounting documents, never changed by a re-import. */
export function creditNotesHandler(): ImportHandler {
  const book = new InvoiceBook();
  const seen = new SeenKeys();
  // The customers the file names, looked up a chunk at a time (null: no such code), rather than the whole list.
  const customers = new Map<string, { id: string } | null>();
  // As for payments: on PostgreSQL the checked notes (and the invoices they settle) are written PG_BATCH at a time;
  // a note's number is checked against the file by `seen` and against the database, where none of them is yet.
  // The book has checked each note against its invoice in file order, as insertSettlements would (its checks read
  // the invoices again): `added` is what each invoice receives from the notes waiting.
  const notes: CreditNoteInput[] = [];
  const added = new Map<InvoiceState, number>();
  const settled: InvoiceState[] = [];
  let batch = 0;
  const flush = async (ctx: ImportContext) => {
    await writeCheckedSettlements(ctx.trx, ctx.company.id, { payments: [], creditNotes: notes.splice(0) }, added);
    added.clear();
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
      batch = isPostgres(ctx.trx) ? PG_BATCH : 0;
    },
    async chunk(ctx, rows) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      await book.load(
        ctx,
        rows.map((r) => r.text('invoice')),
      );
      const codes = [...new Set(rows.map((r) => r.text('customer')))].filter((c) => c !== '' && !customers.has(c));
      if (codes.length > 0) {
        for (const code of codes) customers.set(code, null);
        const found = await ctx.trx
          .selectFrom('customers')
          .select(['id', 'code'])
          .where('company_id', '=', ctx.company.id)
          .where(inTexts(ctx.trx, 'code', codes))
          .execute();
        for (const c of found) customers.set(c.code, { id: c.id });
      }
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
        added.set(invoice!, (added.get(invoice!) ?? 0) + total!);
        if (invoice!.allocated >= invoice!.total) settled.push(invoice!);
        outcome.created++;
      }
      // The notes in a few statements (COPY on PostgreSQL) instead of four queries a row.
      if (!ctx.write) {
        notes.length = settled.length = 0;
        added.clear();
      }
      if (notes.length >= batch) await flush(ctx);
      return outcome;
    },
    finish: flush,
  };
}

import type { PaymentMethod } from '../domain/ledger.ts';
import { inTexts } from '../storage/in-list.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import type { ImportContext, ImportHandler } from './handler.ts';
import { announceIfPaid, InvoiceBook, type InvoiceState } from './invoice-book.ts';
import { writePayments, type PaymentDraft } from './write-payments.ts';

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
 * Payments (and credit notes) written at once on PostgreSQL. Per chunk of 500, the three statements' fixed costs (a COPY's start and
 * end on both sides, the UPDATE's planning over its arrays) cost as much CPU as the rows themselves. Bounded so
 * that a file of a million rows does not hold them all.
 */
export const PG_BATCH = 50_000;
export const PG_CHUNK = 5000;

/** One payment per row, allocated in full to the row's invoice; re-importing a row adds nothing. */
export function paymentsHandler(): ImportHandler {
  const book = new InvoiceBook();
  const occurrences = new Map<string, number>();
  // Read once: the import's transaction holds the ledger, and without a subscriber nothing is queued.
  let announcePaid = false;
  // Whether the company holds any payment with an import key. Without one, none of the file's keys can be known: the
  // rows this import writes are told apart by their occurrence numbers, so the key lookups (a round trip and an
  // index probe per row) are skipped, as on a first import.
  let keyed = true;
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
      keyed =
        (await ctx.trx
          .selectFrom('payments')
          .select('id')
          .where('company_id', '=', ctx.company.id)
          .where('import_key', 'is not', null)
          .limit(1)
          .executeTakeFirst()) !== undefined;
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
        (keyed
          ? await ctx.trx
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
          : []
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
              'import.warning.alreadyImported',
            );
          }
          continue;
        }
        if (!book.reserve(d.row, 'amount', d.invoice, d.amount) || !ctx.write) continue;
        // Without the row: what waits for the batch's write keeps no cell of the file alive.
        writes.push({
          invoice: d.invoice,
          date: d.date,
          method: d.method,
          amount: d.amount,
          reference: d.reference,
          key: d.key,
        });
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

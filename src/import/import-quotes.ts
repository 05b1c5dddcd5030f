import type { QuoteStatus } from '../domain/ledger.ts';
import { newId } from '../shared/ids.ts';
import { insertRows } from '../storage/bulk.ts';
import { customerIndex } from '../storage/customers.ts';
import { nowIso } from '../storage/database.ts';
import { SeenKeys, fieldsInFile, readCustomer, sameValues, type ImportContext, type ImportHandler } from './handler.ts';
import { readCurrency } from './import-invoices.ts';
import { reason, type RowReader } from './row-reader.ts';

/** What a sales tool exports as a quote's state, in French or English. */
export const QUOTE_STATUSES: Record<string, QuoteStatus> = {
  pending: 'pending',
  en_attente: 'pending',
  en_cours: 'pending',
  envoye: 'pending',
  sent: 'pending',
  open: 'pending',
  accepted: 'accepted',
  accepte: 'accepted',
  signe: 'accepted',
  signed: 'accepted',
  won: 'accepted',
  gagne: 'accepted',
  refused: 'refused',
  refuse: 'refused',
  rejected: 'refused',
  lost: 'refused',
  perdu: 'refused',
  declined: 'refused',
};

const QUOTE_COLUMNS = [
  'company_id',
  'id',
  'number',
  'customer_id',
  'date',
  'valid_until',
  'currency',
  'total',
  'status',
  'created_at',
] as const;
const OPTIONAL_FIELDS: Record<string, string> = { status: 'status' };

type Values = {
  number: string;
  customer_id: string;
  date: string;
  valid_until: string;
  currency: string;
  total: number;
  status: QuoteStatus;
};

/**
 * Quotes (devis), followed up by the `relance-devis` message while pending, upserted on their number: a later
 * export of the same quotes updates their status (accepted, refused), validity or amount, and changes nothing else.
 */
export function quotesHandler(): ImportHandler {
  const seen = new SeenKeys();
  let customers = new Map<string, { id: string }>();

  const parseRow = (row: RowReader, fallbackCurrency: string): Values | null => {
    const number = row.required('number');
    const customer = readCustomer(row, customers);
    const date = row.date('date');
    const validUntil = row.date('valid_until');
    if (date && validUntil && validUntil < date)
      row.fail(
        'valid_until',
        reason('import.row.validBeforeDate', `${validUntil} is before the quote's date ${date}`, { validUntil, date }),
        validUntil,
      );
    const currency = readCurrency(row, fallbackCurrency);
    const total = currency === null ? null : row.amount('total', currency);
    const status = row.choice('status', QUOTE_STATUSES, 'pending');
    if (number !== '') seen.claim(row, 'number', number);
    if (!row.ok) return null;
    return {
      number,
      customer_id: customer!.id,
      date: date!,
      valid_until: validUntil!,
      currency: currency!,
      total: total!,
      status: status!,
    };
  };

  return {
    required: ['number', 'customer', 'date', 'valid_until', 'total'],
    optional: ['currency', 'status'],
    resolvesReferences: true,
    chunkSize: 1000,
    async begin(ctx) {
      customers = await customerIndex(ctx.trx, ctx.company.id);
    },
    async chunk(ctx: ImportContext, rows: RowReader[]) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      const parsed = rows
        .map((row) => ({ row, values: parseRow(row, ctx.company.currency) }))
        .filter((p): p is { row: RowReader; values: Values } => p.values !== null);
      if (!ctx.write || parsed.length === 0) return outcome;
      const companyId = ctx.company.id;
      const existing = new Map(
        (
          await ctx.trx
            .selectFrom('quotes')
            .selectAll()
            .where('company_id', '=', companyId)
            .where(
              'number',
              'in',
              parsed.map((p) => p.values.number),
            )
            .execute()
        ).map((q) => [q.number, q]),
      );
      const now = nowIso();
      const inserts: unknown[][] = [];
      for (const { row, values } of parsed) {
        const current = existing.get(values.number);
        if (!current) {
          inserts.push([
            companyId,
            newId(),
            values.number,
            values.customer_id,
            values.date,
            values.valid_until,
            values.currency,
            values.total,
            values.status,
            now,
          ]);
          outcome.created++;
          continue;
        }
        const changes = fieldsInFile(values, OPTIONAL_FIELDS, row);
        if (sameValues(changes, current)) {
          outcome.unchanged++;
          continue;
        }
        if (values.customer_id !== current.customer_id) {
          row.fail(
            'customer',
            reason(
              'import.row.quoteOtherCustomer',
              `quote ${values.number} belongs to another customer; a quote does not change customer`,
              { number: values.number },
            ),
          );
          continue;
        }
        await ctx.trx
          .updateTable('quotes')
          .set(changes)
          .where('company_id', '=', companyId)
          .where('id', '=', current.id)
          .execute();
        outcome.updated++;
      }
      await insertRows(ctx.trx, 'quotes', QUOTE_COLUMNS, inserts);
      return outcome;
    },
  };
}

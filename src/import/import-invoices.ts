import { isCurrencyCode } from '../domain/money.ts';
import { formatAmount } from '../domain/money.ts';
import { newId } from '../shared/ids.ts';
import { insertRows, suspendIndexes } from '../storage/bulk.ts';
import { customerIndex } from '../storage/customers.ts';
import { nowIso } from '../storage/database.ts';
import { SeenKeys, fieldsInFile, readCustomer, sameValues, type ImportContext, type ImportHandler } from './handler.ts';
import { reason, type RowReader } from './row-reader.ts';

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
  'created_at',
  'updated_at',
] as const;

type Values = {
  number: string;
  customer_id: string;
  issue_date: string;
  due_date: string;
  currency: string;
  total_excl_tax: number | null;
  total: number;
  title: string | null;
  sales_rep: string | null;
};
const OPTIONAL_FIELDS: Record<string, string> = {
  total_excl_tax: 'total_excl_tax',
  title: 'title',
  sales_rep: 'sales_rep',
};

type Parsed = { row: RowReader; values: Values };

export function readCurrency(row: RowReader, fallback: string): string | null {
  const text = row.text('currency').toUpperCase();
  if (text === '' || text === '€') return fallback;
  if (!isCurrencyCode(text)) {
    row.fail(
      'currency',
      reason('import.row.currency', `"${row.text('currency')}" is not an ISO 4217 currency code`, {
        value: row.text('currency'),
      }),
      row.text('currency'),
    );
    return null;
  }
  return text;
}

/**
 * Invoices are upserted on their number. An update may not take a total below what was already paid,
 * nor move a paid invoice to another customer or currency.
 */
export function invoicesHandler(): ImportHandler {
  const seen = new SeenKeys();
  let customers = new Map<string, { id: string; salesRep: string | null }>();
  let emptyAtStart = false;
  let restoreIndexes = async () => {};

  const parseRow = (row: RowReader, fallbackCurrency: string): Parsed | null => {
    const number = row.required('number');
    const customer = readCustomer(row, customers);
    const issueDate = row.date('issue_date');
    const dueDate = row.date('due_date');
    if (issueDate && dueDate && dueDate < issueDate) {
      row.fail(
        'due_date',
        reason('import.row.dueBeforeIssue', `${dueDate} is before issue_date ${issueDate}`, {
          due: dueDate,
          issued: issueDate,
        }),
        dueDate,
      );
    }
    const currency = readCurrency(row, fallbackCurrency);
    const total = currency === null ? null : row.amount('total', currency);
    const excl = currency === null ? null : row.amount('total_excl_tax', currency, { required: false });
    if (total !== null && excl !== null && excl > total) {
      row.fail(
        'total_excl_tax',
        reason('import.row.exclAboveTotal', `is above the total incl. tax ${formatAmount(total, currency!)}`, {
          total,
          currency: currency!,
        }),
        row.text('total_excl_tax'),
      );
    }
    if (number !== '') seen.claim(row, 'number', number);
    if (!row.ok) return null;
    return {
      row,
      values: {
        number,
        customer_id: customer!.id,
        issue_date: issueDate!,
        due_date: dueDate!,
        currency: currency!,
        total_excl_tax: excl,
        total: total!,
        title: row.optional('title'),
        sales_rep: row.optional('sales_rep') ?? customer!.salesRep,
      },
    };
  };

  return {
    required: ['number', 'customer', 'issue_date', 'due_date', 'total', 'currency'],
    optional: ['total_excl_tax', 'title', 'sales_rep'],
    resolvesReferences: true,
    chunkSize: 1000,
    async begin(ctx) {
      customers = await customerIndex(ctx.trx, ctx.company.id);
      const any = await ctx.trx
        .selectFrom('invoices')
        .select('id')
        .where('company_id', '=', ctx.company.id)
        .limit(1)
        .executeTakeFirst();
      emptyAtStart = any === undefined;
      restoreIndexes = await suspendIndexes(ctx.trx, 'invoices', ctx.rows);
    },
    finish: () => restoreIndexes(),
    async chunk(ctx: ImportContext, rows: RowReader[]) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      const parsed = rows.map((r) => parseRow(r, ctx.company.currency)).filter((p): p is Parsed => p !== null);
      if (!ctx.write || parsed.length === 0) return outcome;
      const companyId = ctx.company.id;
      const { trx } = ctx;
      // On a company's first import nothing can exist yet; the file's own repeats are caught by SeenKeys.
      const existing = emptyAtStart
        ? []
        : await trx
            .selectFrom('invoices')
            .selectAll()
            .where('company_id', '=', companyId)
            .where(
              'number',
              'in',
              parsed.map((p) => p.values.number),
            )
            .execute();
      const byNumber = new Map(existing.map((i) => [i.number, i]));
      const now = nowIso();
      const inserts: unknown[][] = [];
      for (const { row, values } of parsed) {
        const current = byNumber.get(values.number);
        if (!current) {
          inserts.push([
            companyId,
            newId(),
            values.number,
            values.customer_id,
            values.issue_date,
            values.due_date,
            values.currency,
            values.total_excl_tax,
            values.total,
            0,
            values.title,
            values.sales_rep,
            'issued',
            0,
            now,
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
        if (current.allocated > 0) {
          if (values.total < current.allocated) {
            row.fail(
              'total',
              reason(
                'import.row.belowPaid',
                `${formatAmount(values.total, values.currency)} is below the ` +
                  `${formatAmount(current.allocated, current.currency)} already paid or credited`,
                { total: values.total, paid: current.allocated, currency: current.currency },
              ),
              row.text('total'),
            );
          }
          if (values.customer_id !== current.customer_id)
            row.fail('customer', reason('import.row.lockedByPayments', 'cannot change: the invoice has payments'));
          if (values.currency !== current.currency)
            row.fail('currency', reason('import.row.lockedByPayments', 'cannot change: the invoice has payments'));
          if (!row.ok) continue;
        }
        await trx
          .updateTable('invoices')
          .set({ ...changes, next_action_date: null, updated_at: now })
          .where('company_id', '=', companyId)
          .where('id', '=', current.id)
          .execute();
        outcome.updated++;
      }
      await insertRows(trx, 'invoices', INVOICE_COLUMNS, inserts);
      return outcome;
    },
  };
}

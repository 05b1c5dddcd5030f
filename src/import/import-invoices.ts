import { isCurrencyCode } from '../domain/money.ts';
import { formatAmount } from '../domain/money.ts';
import { newId } from '../shared/ids.ts';
import { insertRows, suspendIndexes } from '../storage/bulk.ts';
import { customerIndex } from '../storage/customers.ts';
import { nowIso } from '../storage/database.ts';
import { inTexts } from '../storage/in-list.ts';
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

function valuesOf(tuple: unknown[]): Values {
  const at = (column: (typeof INVOICE_COLUMNS)[number]) => tuple[INVOICE_COLUMNS.indexOf(column)];
  return {
    number: at('number') as string,
    customer_id: at('customer_id') as string,
    issue_date: at('issue_date') as string,
    due_date: at('due_date') as string,
    currency: at('currency') as string,
    total_excl_tax: at('total_excl_tax') as number | null,
    total: at('total') as number,
    title: at('title') as string | null,
    sales_rep: at('sales_rep') as string | null,
  };
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
  // A chunk's insert is awaited when the next statement is due: meanwhile the next chunk is checked, while
  // PostgreSQL copies the rows in (SQLite has written them by then). Its failure is thrown there.
  let writing: Promise<void> = Promise.resolve();
  let writeFailure: { error: unknown } | null = null;
  const written = async () => {
    await writing;
    if (writeFailure) throw writeFailure.error;
  };

  /** The row as it would be inserted (INVOICE_COLUMNS, id left empty), or null when it has an issue. */
  const parseRow = (row: RowReader, company: ImportContext['company'], now: string): unknown[] | null => {
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
    const currency = readCurrency(row, company.currency);
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
    // The insert's own array, built once: a first import of a large file writes every row as it is.
    return [
      company.id,
      '',
      number,
      customer!.id,
      issueDate,
      dueDate,
      currency,
      excl,
      total,
      0,
      row.optional('title'),
      row.optional('sales_rep') ?? customer!.salesRep,
      'issued',
      0,
      now,
      now,
    ];
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
    async finish() {
      await written();
      await restoreIndexes();
    },
    async chunk(ctx: ImportContext, rows: RowReader[]) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      const now = nowIso();
      const good: RowReader[] = [];
      const parsed: unknown[][] = [];
      for (const row of rows) {
        const tuple = parseRow(row, ctx.company, now);
        if (tuple === null) continue;
        good.push(row);
        parsed.push(tuple);
      }
      if (!ctx.write || parsed.length === 0) return outcome;
      const companyId = ctx.company.id;
      const { trx } = ctx;
      await written();
      // On a company's first import nothing can exist yet; the file's own repeats are caught by SeenKeys.
      const existing = emptyAtStart
        ? []
        : await trx
            .selectFrom('invoices')
            .selectAll()
            .where('company_id', '=', companyId)
            .where(
              inTexts(
                trx,
                'number',
                parsed.map((p) => p[2] as string),
              ),
            )
            .execute();
      const byNumber = new Map(existing.map((i) => [i.number, i]));
      const inserts: unknown[][] = [];
      for (let i = 0; i < parsed.length; i++) {
        const tuple = parsed[i]!;
        const current = byNumber.get(tuple[2] as string);
        if (!current) {
          tuple[1] = newId();
          inserts.push(tuple);
          outcome.created++;
          continue;
        }
        const row = good[i]!;
        const values = valuesOf(tuple);
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
      writing = insertRows(trx, 'invoices', INVOICE_COLUMNS, inserts).catch((error: unknown) => {
        writeFailure = { error };
      });
      return outcome;
    },
  };
}

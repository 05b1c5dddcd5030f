import writeXlsxFile from 'write-excel-file/node';
import { z } from 'zod';
import { translator } from '../../i18n/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { InvoiceListItem } from '../../storage/invoices.ts';
import { scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { invoicePage, InvoiceQuerySchema, toFilter } from '../invoice-query.ts';
import { problems } from '../schemas.ts';

/** The invoice list exported as the web app's Invoices screen shows it (the filters of GET /api/v1/invoices). */

const EXPORT_LIMIT = 100_000;
export const INVOICE_EXPORT_COLUMNS = [
  'number',
  'customer_code',
  'customer',
  'issue_date',
  'due_date',
  'currency',
  'total_excl_tax',
  'total',
  'balance',
  'days_overdue',
  'sales_rep',
  'disputed',
  'last_reminder_on',
  'title',
  'overdue_from',
  'next_reminder_on',
] as const;

function exportRow(i: InvoiceListItem): (string | number | null)[] {
  return [
    i.number,
    i.customerCode,
    i.customerName,
    i.issueDate,
    i.dueDate,
    i.currency,
    i.totalExclTax === null ? null : i.totalExclTax / 100,
    i.total / 100,
    i.balance / 100,
    i.daysOverdue,
    i.salesRep ?? null,
    i.disputeReason ?? null,
    i.lastReminderOn,
    i.title,
    i.overdueFrom,
    i.nextActionDate,
  ];
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  // A number prints with a decimal comma; a text that a spreadsheet would run as a formula is defused with a quote mark.
  const text =
    typeof value === 'number' ? String(value).replace('.', ',') : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function workspaceRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/invoices/export',
    {
      config: { access: 'invoices.view' },
      schema: {
        tags: ['invoices'],
        summary: `The filtered invoice list as CSV or XLSX (at most ${EXPORT_LIMIT} rows)`,
        querystring: InvoiceQuerySchema.extend({
          format: z.enum(['csv', 'xlsx']).default('csv'),
          lang: z.enum(['fr', 'en']).default('fr').describe('language of the column headers'),
        }),
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const filter = await toFilter(api.db, request, request.query);
      const companyId = scopeOf(request).companyId;
      const rows: InvoiceListItem[] = [];
      let cursor: string | undefined;
      for (;;) {
        const batch = await invoicePage(api.db, companyId, filter, {
          category: request.query.category,
          cursor,
          limit: 5_000,
          sort: 'number',
        });
        rows.push(...batch.slice(0, 5_000));
        if (rows.length > EXPORT_LIMIT)
          throw new AppError('invalid_input', `More than ${EXPORT_LIMIT} invoices match; narrow the filter.`);
        if (batch.length <= 5_000) break;
        cursor = Buffer.from(JSON.stringify({ n: batch[4_999]!.number })).toString('base64url');
      }
      const name = `factures-${filter.asOf}`;
      // The headers in the reader's words ("N° facture", "Montant TTC"); the columns themselves never move.
      const t = translator(request.query.lang);
      const headers = INVOICE_EXPORT_COLUMNS.map((c) => t(`exports.invoiceColumn.${c}`));
      if (request.query.format === 'csv') {
        // Semicolons and a BOM: what a French Excel opens directly.
        const lines = [headers.map(csvCell).join(';'), ...rows.map((r) => exportRow(r).map(csvCell).join(';'))];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(`\uFEFF${lines.join('\r\n')}\r\n` as never);
      }
      const header = headers.map((value) => ({ value, fontWeight: 'bold' as const }));
      const body = rows.map((r) => exportRow(r).map((value) => (value === null ? null : { value })));
      const buffer = await writeXlsxFile([header, ...body], { sheet: 'Factures' }).toBuffer();
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(buffer as never);
    },
  );
}

import { z } from 'zod';
import { translator } from '../../i18n/index.ts';
import { AppError } from '../../shared/errors.ts';
import { INVOICE_EXPORT_COLUMNS, invoiceListCsv, invoiceListXlsx } from '../../exports/invoice-list.ts';
import type { InvoiceListItem } from '../../storage/invoices.ts';
import type { ZodApi } from '../context.ts';
import { invoicePage, InvoiceQuerySchema, toFilter } from '../invoice-query.ts';
import { problems } from '../schemas.ts';

/** The invoice list exported as the web app's Invoices screen shows it (the filters of GET /api/v1/invoices). */

const EXPORT_LIMIT = 100_000;

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
      const rows: InvoiceListItem[] = [];
      let cursor: string | undefined;
      for (;;) {
        const batch = await invoicePage(api.db, request, filter, {
          category: request.query.category,
          cursor,
          limit: 5_000,
          sort: 'number',
        });
        rows.push(...batch.slice(0, 5_000));
        if (rows.length > EXPORT_LIMIT)
          throw new AppError('invalid_input', `More than ${EXPORT_LIMIT} invoices match; narrow the filter.`, [], {
            key: 'problem.http.exportLimit',
            params: { count: EXPORT_LIMIT },
          });
        if (batch.length <= 5_000) break;
        cursor = Buffer.from(JSON.stringify({ n: batch[4_999]!.number })).toString('base64url');
      }
      const name = `factures-${filter.asOf}`;
      // The headers in the reader's words ("N° facture", "Montant TTC"); the columns themselves never move.
      const t = translator(request.query.lang);
      const headers = INVOICE_EXPORT_COLUMNS.map((c) => t(`exports.invoiceColumn.${c}`));
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(invoiceListCsv(rows, headers) as never);
      }
      const buffer = await invoiceListXlsx(rows, filter.asOf, headers);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(buffer as never);
    },
  );
}

import { z } from 'zod';
import { EXPORT_FORMATS, exportFileName, MEDIA_TYPES, renderExport } from '../../exports/render.ts';
import type { ReportDocument } from '../../exports/table.ts';
import { agedBalance } from '../../reports/aging.ts';
import { DEFAULT_BOUNDS, parseBounds } from '../../reports/buckets.ts';
import { collectionKpis } from '../../reports/kpis.ts';
import { remindersRegister } from '../../reports/register.ts';
import { AgedBalanceSchema, KpisSchema, RemindersRegisterSchema } from '../../reports/schemas.ts';
import { agingDocument, kpisDocument, registerDocument } from '../../reports/tables.ts';
import { AppError, textOf } from '../../shared/errors.ts';
import { companyLanguage } from '../../domain/ledger.ts';
import { companyDate, viewCompany } from '../../accounts/view-company.ts';
import type { Db } from '../../storage/database.ts';
import { scopeOf, type Scope } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, problems } from '../schemas.ts';

const tags = ['reports'];
const text = z.string().min(1).max(100).optional();
const AgingQuerySchema = z.object({
  date: IsoDateSchema.optional().describe('as-of date (default: today where the company is)'),
  buckets: z.string().max(60).optional().describe('upper bounds of the late columns in days, e.g. 30,60,90'),
  salesRep: text.describe('only the invoices of this représentant'),
  customer: text.describe('only this customer code'),
});
const RegisterQuerySchema = z.object({
  date: IsoDateSchema.optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  salesRep: text,
  customer: text,
});
const KpiQuerySchema = z.object({
  date: IsoDateSchema.optional(),
  months: z.coerce.number().int().min(1).max(60).default(12),
  currency: z.string().length(3).optional(),
});
const ExportQuerySchema = AgingQuerySchema.extend(RegisterQuerySchema.shape).extend({
  months: KpiQuerySchema.shape.months,
  currency: KpiQuerySchema.shape.currency,
  format: z.enum(EXPORT_FORMATS),
  lang: z.enum(['fr', 'en']).optional(),
});

function bounds(buckets: string | undefined): number[] {
  if (buckets === undefined) return DEFAULT_BOUNDS;
  try {
    return parseBounds(buckets);
  } catch (error) {
    throw new AppError(
      'invalid_input',
      (error as Error).message,
      [
        {
          field: 'querystring.buckets',
          reason: (error as Error).message,
          code: 'reason.buckets',
          params: { detail: (error as Error).message },
        },
      ],
      textOf(error),
    );
  }
}

/** A restricted collector sees its représentant's customers only, in every report. */
const customerSalesRep = (scope: Scope) => scope.salesRep ?? undefined;

async function asOf(db: Db, scope: Scope, date: string | undefined): Promise<string> {
  return date ?? (await companyDate(db, scope.companyId));
}

type AgingQuery = z.infer<typeof AgingQuerySchema>;
type RegisterQuery = z.infer<typeof RegisterQuerySchema>;
type KpiQuery = z.infer<typeof KpiQuerySchema>;

const aging = async (db: Db, scope: Scope, q: AgingQuery) =>
  agedBalance(db, scope.companyId, {
    date: await asOf(db, scope, q.date),
    bounds: bounds(q.buckets),
    salesRep: q.salesRep,
    customerCode: q.customer,
    customerSalesRep: customerSalesRep(scope),
  });
const register = async (db: Db, scope: Scope, q: RegisterQuery) =>
  remindersRegister(db, scope.companyId, {
    date: await asOf(db, scope, q.date),
    from: q.from,
    to: q.to,
    salesRep: q.salesRep,
    customerCode: q.customer,
    customerSalesRep: customerSalesRep(scope),
  });
const kpis = async (db: Db, scope: Scope, q: KpiQuery) =>
  collectionKpis(db, scope.companyId, {
    date: await asOf(db, scope, q.date),
    months: q.months,
    currency: q.currency?.toUpperCase(),
    customerSalesRep: customerSalesRep(scope),
  });

export function reportRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/reports/aging',
    {
      config: { access: 'reports.view' },
      schema: {
        tags,
        summary:
          'Aged balance on a date: per customer and currency, not yet due and by days overdue, with totals per currency',
        querystring: AgingQuerySchema,
        response: { 200: AgedBalanceSchema, ...problems },
      },
    },
    async (request) => aging(api.db, scopeOf(request), request.query),
  );

  api.get(
    '/api/v1/reports/reminders',
    {
      config: { access: 'reports.view' },
      schema: {
        tags,
        summary: 'Reminders register (Relances envoyées): each reminded invoice with the date of each level',
        querystring: RegisterQuerySchema,
        response: { 200: RemindersRegisterSchema, ...problems },
      },
    },
    async (request) => register(api.db, scopeOf(request), request.query),
  );

  api.get(
    '/api/v1/reports/kpis',
    {
      config: { access: 'reports.view' },
      schema: {
        tags,
        summary: 'Collection KPIs: DSO (count-back), overdue trend by month, share paid within 15 days of each level',
        querystring: KpiQuerySchema,
        response: { 200: KpisSchema, ...problems },
      },
    },
    async (request) => kpis(api.db, scopeOf(request), request.query),
  );

  api.get(
    '/api/v1/reports/:report/export',
    {
      config: { access: 'reports.view' },
      schema: {
        tags,
        summary:
          'A report as a file: CSV (UTF-8 BOM, ";" in French), XLSX or PDF; the report\'s own query parameters apply',
        params: z.object({ report: z.enum(['aging', 'reminders', 'kpis']) }),
        querystring: ExportQuerySchema,
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const company = await viewCompany(api.db, scope.companyId);
      const q = request.query;
      const language = q.lang ?? companyLanguage(company);
      let document: ReportDocument;
      if (request.params.report === 'aging') document = agingDocument(await aging(api.db, scope, q), language);
      else if (request.params.report === 'reminders')
        document = registerDocument(await register(api.db, scope, q), language);
      else document = kpisDocument(await kpis(api.db, scope, q), language);
      const bytes = await renderExport(document, q.format, company);
      return reply
        .type(MEDIA_TYPES[q.format])
        .header('content-disposition', `attachment; filename="${exportFileName(document, q.format)}"`)
        .send(bytes as never);
    },
  );
}

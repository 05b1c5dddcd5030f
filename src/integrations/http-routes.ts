import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { todayIn } from '../domain/calendar.ts';
import { getCompany } from '../storage/companies.ts';
import { recordAudit } from '../storage/audit.ts';
import { inTransaction } from '../storage/transactions.ts';
import { assertVisible, principalOf, scopeOf } from '../http/auth.ts';
import type { ZodApi } from '../http/context.ts';
import { IsoDateSchema, OkSchema, problems } from '../http/schemas.ts';
import { importEInvoices } from './einvoice/import-einvoices.ts';
import { readFilesInWorker } from './einvoice/read-in-worker.ts';
import { READ_STATEMENT_MODULE, type Statement } from './bank/read-statement.ts';
import { readInUploadThread } from '../shared/upload-thread.ts';
import { inputLimits } from '../shared/input-limits.ts';
import { importBankStatement } from './bank/import-bank.ts';
import { ignoreBankLine, listBankLines, matchBankLine } from './bank/bank-lines.ts';
import { runFollowUps } from './follow-ups/run-follow-ups.ts';
import { BankReportSchema, EInvoiceReportSchema } from './http-schemas.ts';

const tags = ['integrations'];
const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');
const Money = z.number().int().describe('cents');

const BankLineSchema = z.object({
  id: z.string(),
  bookingDate: IsoDateSchema,
  amount: Money,
  currency: z.string(),
  counterparty: z.string().nullable(),
  reference: z.string().nullable(),
  status: z.enum(['matched', 'unmatched', 'ignored']),
  fileName: z.string(),
  invoices: z.array(z.string()).describe('for a matched credit, the invoices its payment settled'),
});

/** The most files one e-invoice upload may carry (the app's default is one file per request). */
export const MAX_UPLOAD_FILES = 100;

/** Every file of a multipart upload (fields named `file`), with its name. */
async function uploads(
  request: FastifyRequest,
  maxFiles = 1,
  maxBytes?: number,
): Promise<{ fileName: string; bytes: Uint8Array }[]> {
  if (!request.isMultipart()) throw new AppError('usage', 'Send the files as multipart/form-data in "file" fields.');
  const files: { fileName: string; bytes: Uint8Array }[] = [];
  // The limits given here are merged over the ones registered with the plugin, for this request only.
  const limits = { files: maxFiles, ...(maxBytes === undefined ? {} : { fileSize: maxBytes }) };
  for await (const part of request.files({ limits })) {
    if (part.fieldname !== 'file')
      throw new AppError('usage', `Unexpected multipart field "${part.fieldname}"; use "file".`);
    files.push({ fileName: part.filename || `upload-${files.length + 1}`, bytes: await part.toBuffer() });
  }
  if (files.length === 0) throw new AppError('usage', 'The multipart body needs at least one "file" field.');
  return files;
}

/**
 * The integrations over HTTP, for the web app: e-invoice and bank-statement uploads (the same use cases
 * and errors as the CLI), the bank credits left to match and their manual matching, and the follow-ups
 * planned for a day. Registered by the app with `integrationRoutes(api)`.
 */
export function integrationRoutes(api: ZodApi): void {
  api.post(
    '/api/v1/integrations/einvoices',
    {
      config: { access: 'integrations.import' },
      schema: {
        tags,
        summary:
          `Import e-invoices (Factur-X, CII, UBL) and CDAR lifecycle statuses (up to ${MAX_UPLOAD_FILES} multipart "file" ` +
          'fields in one request). All or nothing: a bad file is a 422 naming it in `errors[].field`; with skipInvalid the others are ' +
          "imported and `files` tells each one's outcome",
        querystring: z.object({ skipInvalid: flag }),
        response: { 200: EInvoiceReportSchema, ...problems },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const files = await uploads(request, MAX_UPLOAD_FILES);
      // Inflating and parsing happen in a worker thread with limits, never in the thread that answers everybody.
      const report = await importEInvoices(api.db, p.companyId, {
        files,
        skipInvalid: request.query.skipInvalid,
        read: (toRead) => readFilesInWorker(toRead, api.inputLimits ?? inputLimits()),
      });
      await recordAudit(api.db, p.companyId, {
        userId: p.userId,
        actor: p.email,
        action: 'import',
        target: 'einvoices',
        details: {
          files: files.map((f) => f.fileName),
          invoices: report.invoices.length,
          statuses: report.statuses.length,
        },
      });
      return report;
    },
  );

  api.post(
    '/api/v1/integrations/bank-statements',
    {
      config: { access: 'integrations.import' },
      schema: {
        tags,
        summary:
          'Import a bank statement (CAMT.053 or CSV, multipart "file") and record the matched payments; ' +
          'with skipInvalid, unreadable lines are left out and listed in `skipped` instead of refusing the file',
        querystring: z.object({ skipInvalid: flag }),
        response: { 200: BankReportSchema, ...problems },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const limits = api.inputLimits ?? inputLimits();
      const [file] = await uploads(request, 1, limits.maxCsvBytes);
      const company = await getCompany(api.db, p.companyId);
      const report = await importBankStatement(api.db, p.companyId, {
        fileName: file!.fileName,
        bytes: file!.bytes,
        currency: company.currency,
        skipInvalid: request.query.skipInvalid,
        // Parsing the XML or CSV happens in the upload thread, with its time, memory and row limits.
        read: (fileName, bytes, currency, skipInvalid) =>
          readInUploadThread<Statement>(
            {
              label: fileName,
              module: READ_STATEMENT_MODULE,
              fn: 'readStatementFile',
              args: [fileName, bytes, currency, skipInvalid, limits.maxCsvRows],
            },
            limits,
          ),
      });
      await recordAudit(api.db, p.companyId, {
        userId: p.userId,
        actor: p.email,
        action: 'import',
        target: 'bank-statement',
        details: {
          file: report.file,
          matched: report.matched,
          unmatched: report.unmatched,
          skipped: report.skipped.length,
        },
      });
      return report;
    },
  );

  api.get(
    '/api/v1/bank-lines',
    {
      config: { access: 'bank.view' },
      schema: {
        tags,
        summary: 'Bank credits left to match by hand (or matched / ignored ones)',
        querystring: z.object({ status: z.enum(['unmatched', 'matched', 'ignored']).default('unmatched') }),
        response: { 200: z.object({ items: z.array(BankLineSchema) }), ...problems },
      },
    },
    async (request) => ({
      items: await listBankLines(api.db, scopeOf(request).companyId, { status: request.query.status }),
    }),
  );

  api.post(
    '/api/v1/bank-lines/:id/match',
    {
      config: { access: 'bank.match' },
      schema: {
        tags,
        summary: 'Record a bank credit as the payment of invoices of one customer, in the order given',
        params: z.object({ id: z.string().max(100) }),
        body: z.object({ invoices: z.array(z.string().min(1).max(50)).min(1).max(100) }),
        response: { 200: z.object({ paymentId: z.string() }), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      return inTransaction(api.db, async (trx) => {
        // A restricted collector may only settle its représentant's customers' invoices.
        const customers = await trx
          .selectFrom('invoices as i')
          .innerJoin('customers as c', (j) =>
            j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
          )
          .select(['i.number', 'c.sales_rep'])
          .where('i.company_id', '=', scope.companyId)
          .where('i.number', 'in', request.body.invoices)
          .execute();
        for (const c of customers) assertVisible(scope, { salesRep: c.sales_rep }, `invoice numbered ${c.number}`);
        const result = await matchBankLine(trx, scope.companyId, request.params.id, request.body.invoices);
        const p = principalOf(request);
        await recordAudit(trx, scope.companyId, {
          userId: p.userId,
          actor: p.email,
          action: 'bank-line.matched',
          target: request.params.id,
          details: { invoices: request.body.invoices },
        });
        return result;
      });
    },
  );

  api.post(
    '/api/v1/bank-lines/:id/ignore',
    {
      config: { access: 'bank.match' },
      schema: {
        tags,
        summary: 'Set aside a bank credit that is no customer payment',
        params: z.object({ id: z.string().max(100) }),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await ignoreBankLine(api.db, scopeOf(request).companyId, request.params.id);
      return { ok: true as const };
    },
  );

  api.get(
    '/api/v1/follow-ups',
    {
      config: { access: 'dunning.view' },
      schema: {
        tags,
        summary: 'Quote follow-ups and instalment reminders a day would send (nothing is queued)',
        querystring: z.object({ date: IsoDateSchema.optional() }),
        response: { 200: z.object({}).passthrough(), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const date = request.query.date ?? todayIn((await getCompany(api.db, scope.companyId)).timeZone);
      const report = await runFollowUps(api.db, scope.companyId, { date, dryRun: true });
      if (scope.salesRep === null) return report;
      const own = new Set(
        (
          await api.db
            .selectFrom('customers')
            .select('code')
            .where('company_id', '=', scope.companyId)
            .where('sales_rep', '=', scope.salesRep)
            .execute()
        ).map((c) => c.code),
      );
      return {
        ...report,
        quotes: report.quotes.filter((q) => own.has(q.customer)),
        instalments: report.instalments.filter((i) => own.has(i.customer)),
      };
    },
  );
}

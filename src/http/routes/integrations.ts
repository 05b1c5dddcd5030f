import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import { viewCompany } from '../../accounts/view-company.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, OkSchema, problems } from '../schemas.ts';
import { importEInvoices } from '../../integrations/einvoice/import-einvoices.ts';
import { readFilesInWorker } from '../../integrations/einvoice/read-in-worker.ts';
import { inputLimits } from '../../shared/input-limits.ts';
import { importBankStatement } from '../../integrations/bank/import-bank.ts';
import { ignoreBankLine, listBankLines, matchBankLine } from '../../integrations/bank/bank-lines.ts';
import { previewFollowUps } from '../../follow-ups/preview-follow-ups.ts';
import { BankReportSchema, EInvoiceReportSchema } from '../integration-schemas.ts';
import { READ_STATEMENT_MODULE, type Statement } from '../../integrations/bank/read-statement.ts';
import { readInUploadThread } from '../../shared/upload-thread.ts';

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
  if (!request.isMultipart())
    throw new AppError('usage', 'Send the files as multipart/form-data in "file" fields.', [], {
      key: 'problem.http.multipartFiles',
    });
  const files: { fileName: string; bytes: Uint8Array }[] = [];
  // The limits given here are merged over the ones registered with the plugin, for this request only.
  const limits = { files: maxFiles, ...(maxBytes === undefined ? {} : { fileSize: maxBytes }) };
  for await (const part of request.files({ limits })) {
    if (part.fieldname !== 'file')
      throw new AppError('usage', `Unexpected multipart field "${part.fieldname}"; use "file".`, [], {
        key: 'problem.http.unexpectedField',
        params: { field: part.fieldname },
      });
    files.push({ fileName: part.filename || `upload-${files.length + 1}`, bytes: await part.toBuffer() });
  }
  if (files.length === 0)
    throw new AppError('usage', 'The multipart body needs at least one "file" field.', [], {
      key: 'problem.http.fileFields',
    });
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
      const files = await uploads(request, MAX_UPLOAD_FILES);
      // Inflating and parsing happen in a worker thread with limits, never in the thread that answers everybody.
      return importEInvoices(api.db, actorOf(request), {
        files,
        skipInvalid: request.query.skipInvalid,
        read: (toRead) => readFilesInWorker(toRead, api.inputLimits ?? inputLimits()),
      });
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
      const limits = api.inputLimits ?? inputLimits();
      const [file] = await uploads(request, 1, limits.maxCsvBytes);
      const company = await viewCompany(api.db, scopeOf(request).companyId);
      return importBankStatement(api.db, actorOf(request), {
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
    async (request) => matchBankLine(api.db, actorOf(request), request.params.id, request.body.invoices),
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
      await ignoreBankLine(api.db, actorOf(request), request.params.id);
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
    async (request) => previewFollowUps(api.db, actorOf(request), request.query.date),
  );
}

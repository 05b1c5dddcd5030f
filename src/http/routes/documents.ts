import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { todayIn, type IsoDate } from '../../domain/calendar.ts';
import { invoiceCopyPdf } from '../../documents/invoice-copy.ts';
import { renderLetterPdf } from '../../documents/letter.ts';
import { planLetterRequests } from '../../documents/plan-letters.ts';
import { communicationRequest, onlyVisible, selectionRequests } from '../../documents/letter-requests.ts';
import { lettersBatch, prepareLetters, runLetterRequests } from '../../documents/run-letters.ts';
import { statementPdf } from '../../documents/statement.ts';
import { summaryPdf } from '../../documents/summary.ts';
import { AppError } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { getCompany } from '../../storage/companies.ts';
import { getCustomer, getCustomerByCode } from '../../storage/customers.ts';
import type { Db } from '../../storage/database.ts';
import { getLetterSettings, getRunDocument } from '../../storage/documents.ts';
import { getInvoice } from '../../storage/invoices.ts';
import { assertVisible, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, IsoDateSchema, problems } from '../schemas.ts';

const tags = ['documents'];
// A PDF body is a Buffer, which Fastify sends as it is; only the problems go through a schema.
const PdfResponse = { ...problems };

/** A PDF download; the name is reduced to ASCII so no header can be forged through a customer code. */
export function sendPdf(reply: FastifyReply, pdf: Uint8Array, filename: string): FastifyReply {
  const safe =
    filename
      .normalize('NFD')
      .replace(/[^\w .-]/g, '')
      .replace(/\s+/g, '-') || 'document.pdf';
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${safe}"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(pdf));
}

async function today(db: Db, companyId: string): Promise<IsoDate> {
  return todayIn((await getCompany(db, companyId)).timeZone);
}

export function documentRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/communications/:id/letter',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: 'The reminder letter (or formal notice) of a recorded communication, as a PDF',
        params: IdParamsSchema,
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const [letter] = await prepareLetters(api.db, scope.companyId, [
        await communicationRequest(api.db, scope, request.params.id),
      ]);
      const pdf = await renderLetterPdf(
        letter!.context,
        letter!.letterText,
        await getLetterSettings(api.db, scope.companyId),
      );
      return sendPdf(reply, pdf, `relance-${letter!.context.customer.code}-${letter!.context.date}.pdf`);
    },
  );

  api.get(
    '/api/v1/invoices/:id/letter',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: 'The reminder letter of one invoice ("PDF relance" of a row): its next level unless one is given',
        params: IdParamsSchema,
        querystring: z.object({
          level: z.coerce.number().int().min(1).max(20).optional(),
          date: IsoDateSchema.optional(),
        }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      const requests = await selectionRequests(api.db, scope, [request.params.id], {
        date,
        level: request.query.level,
      });
      const [letter] = await prepareLetters(api.db, scope.companyId, requests);
      const pdf = await renderLetterPdf(
        letter!.context,
        letter!.letterText,
        await getLetterSettings(api.db, scope.companyId),
      );
      return sendPdf(reply, pdf, `relance-${letter!.context.invoices[0]?.number ?? 'facture'}-${date}.pdf`);
    },
  );

  api.get(
    '/api/v1/invoices/:id/copy',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: 'The invoice as a PDF: its stored file, else a copy generated from the ledger',
        params: IdParamsSchema,
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const invoice = await getInvoice(api.db, scope.companyId, request.params.id);
      assertVisible(
        scope,
        await getCustomer(api.db, scope.companyId, invoice.customerId),
        `invoice with id ${request.params.id}`,
      );
      return sendPdf(reply, await invoiceCopyPdf(api.db, scope.companyId, invoice.id), `facture-${invoice.number}.pdf`);
    },
  );

  api.get(
    '/api/v1/runs/:id/letters',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: "The printable batch of a run's letters (the one the run stored, unless changed or with copies)",
        params: IdParamsSchema,
        querystring: z.object({ copies: z.enum(['true', 'false']).default('false') }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const copies = request.query.copies === 'true';
      const runId = request.params.id;
      if (!isId(runId))
        throw new AppError('not_found', `No run with id ${runId}.`, [], {
          key: 'problem.notFound.run',
          params: { id: runId },
        });
      // The stored batch holds every customer's letters: a restricted collector gets its own made again.
      const stored = scope.salesRep === null && !copies ? await getRunDocument(api.db, scope.companyId, runId) : null;
      if (stored && existsSync(stored.path)) {
        const bytes = readFileSync(stored.path);
        if (createHash('sha256').update(bytes).digest('hex') === stored.sha256)
          return sendPdf(reply, bytes, `relances-${runId}.pdf`);
      }
      const requests = await onlyVisible(api.db, scope, await runLetterRequests(api.db, scope.companyId, runId));
      if (requests.length === 0)
        throw new AppError('not_found', `Run ${runId} has no letter to print.`, [], {
          key: 'problem.notFound.runLetters',
          params: { id: runId },
        });
      const batch = await lettersBatch(
        api.db,
        scope.companyId,
        requests,
        { title: `Relances ${requests[0]!.date}`, date: requests[0]!.date },
        { invoiceCopies: copies },
      );
      return sendPdf(reply, batch.pdf, `relances-${runId}.pdf`);
    },
  );

  api.post(
    '/api/v1/documents/letters',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary:
          'One printable PDF of reminder letters ("Générer les relances" → PDF): for chosen invoices (one letter per ' +
          'customer and currency), or for what the plan of a date sends at a level. Records nothing; POST /api/v1/runs does.',
        body: z
          .object({
            invoiceIds: z.array(z.string().max(100)).min(1).max(5_000).optional(),
            level: z.number().int().min(1).max(20).optional(),
            date: IsoDateSchema.optional(),
            copies: z.boolean().default(false),
          })
          .refine((b) => b.invoiceIds !== undefined || b.level !== undefined, {
            message: 'give invoiceIds, or the level of the plan to print',
            params: { code: 'problem.validation.invoicesOrLevel' },
            path: ['invoiceIds'],
          }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { invoiceIds, level, copies } = request.body;
      const date = request.body.date ?? (await today(api.db, scope.companyId));
      const requests = invoiceIds
        ? await selectionRequests(api.db, scope, invoiceIds, { date, level })
        : await onlyVisible(api.db, scope, await planLetterRequests(api.db, scope.companyId, { date, level }));
      if (requests.length === 0)
        throw new AppError('not_found', `The plan of ${date} has nothing to send at level ${level}.`, [], {
          key: 'problem.notFound.planLevel',
          params: { date, level: level ?? '' },
        });
      const batch = await lettersBatch(
        api.db,
        scope.companyId,
        requests,
        { title: `Relances ${date}`, date },
        { invoiceCopies: copies },
      );
      return sendPdf(
        reply.header('x-letters', String(batch.letters)).header('x-pages', String(batch.pages)),
        batch.pdf,
        `relances-${date}.pdf`,
      );
    },
  );

  api.get(
    '/api/v1/customers/:id/statement',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: "The customer's statement of account (relevé de compte): open invoices, totals, aged balance",
        params: IdParamsSchema,
        querystring: z.object({ date: IsoDateSchema.optional() }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const customer = await getCustomer(api.db, scope.companyId, request.params.id);
      assertVisible(scope, customer, `customer with id ${request.params.id}`);
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      return sendPdf(
        reply,
        await statementPdf(api.db, scope.companyId, { customerCode: customer.code, date }),
        `releve-${customer.code}-${date}.pdf`,
      );
    },
  );

  api.get(
    '/api/v1/documents/summary',
    {
      config: { access: 'documents.view' },
      schema: {
        tags,
        summary: 'The reminders summary ("PDF synthèse"): each reminded invoice with the date of each level',
        querystring: z.object({
          customer: z.string().max(50).optional().describe('customer code'),
          date: IsoDateSchema.optional(),
          language: z.enum(['fr', 'en']).optional(),
        }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { customer, language } = request.query;
      if (customer)
        assertVisible(
          scope,
          await getCustomerByCode(api.db, scope.companyId, customer),
          `customer with code ${customer}`,
        );
      else if (scope.salesRep !== null) {
        throw new AppError(
          'forbidden',
          'A collector restricted to a sales rep prints the summary one customer at a time (customer).',
          [],
          { key: 'problem.documents.restrictedSummary' },
        );
      }
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      const result = await summaryPdf(api.db, scope.companyId, { date, customerCode: customer, language });
      return sendPdf(reply.header('x-invoices', String(result.invoices)), result.pdf, `synthese-relances-${date}.pdf`);
    },
  );
}

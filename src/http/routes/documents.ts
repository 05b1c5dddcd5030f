import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { communicationLetter, invoiceLetter, printLetters, runLetters } from '../../documents/print-letters.ts';
import { customerStatement, invoiceCopy, remindersSummary } from '../../documents/print-statements.ts';
import { scopeOf } from '../auth.ts';
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
      const letter = await communicationLetter(api.db, scopeOf(request), request.params.id);
      return sendPdf(reply, letter.pdf, `relance-${letter.customerCode}-${letter.date}.pdf`);
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
      const letter = await invoiceLetter(api.db, scopeOf(request), request.params.id, request.query);
      return sendPdf(reply, letter.pdf, `relance-${letter.firstInvoice ?? 'facture'}-${letter.date}.pdf`);
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
      const copy = await invoiceCopy(api.db, scopeOf(request), request.params.id);
      return sendPdf(reply, copy.pdf, `facture-${copy.number}.pdf`);
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
      const copies = request.query.copies === 'true';
      const batch = await runLetters(api.db, scopeOf(request), request.params.id, { copies });
      return sendPdf(reply, batch.pdf, `relances-${request.params.id}.pdf`);
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
      const batch = await printLetters(api.db, scopeOf(request), request.body);
      return sendPdf(
        reply.header('x-letters', String(batch.letters)).header('x-pages', String(batch.pages)),
        batch.pdf,
        `relances-${batch.date}.pdf`,
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
      const statement = await customerStatement(api.db, scopeOf(request), request.params.id, request.query);
      return sendPdf(reply, statement.pdf, `releve-${statement.customerCode}-${statement.date}.pdf`);
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
      const { customer, date, language } = request.query;
      const result = await remindersSummary(api.db, scopeOf(request), { customerCode: customer, date, language });
      return sendPdf(
        reply.header('x-invoices', String(result.invoices)),
        result.pdf,
        `synthese-relances-${result.date}.pdf`,
      );
    },
  );
}

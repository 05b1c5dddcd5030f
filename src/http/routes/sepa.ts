import { z } from 'zod';
import { debitBatchFile, listDebitBatches, listPendingDebits } from '../../integrations/sepa/debit-file.ts';
import { makeDebitBatch } from '../../integrations/sepa/make-debit-batch.ts';
import { recordMandate } from '../../integrations/sepa/record-mandate.ts';
import { saveCreditorId } from '../../integrations/sepa/save-creditor-id.ts';
import { withdrawMandate } from '../../integrations/sepa/withdraw-mandate.ts';
import { getCreditorId, listMandates } from '../../integrations/sepa/mandates.ts';
import { viewCompany } from '../../accounts/view-company.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, OkSchema, problems } from '../schemas.ts';

const tags = ['sepa'];
const MandateSchema = z.object({
  id: z.string(),
  customerCode: z.string(),
  customerName: z.string(),
  reference: z.string(),
  iban: z.string(),
  bic: z.string().nullable(),
  signedOn: IsoDateSchema,
  firstDebitOn: IsoDateSchema.nullable(),
  revokedOn: IsoDateSchema.nullable(),
});
const BatchSchema = z.object({
  messageId: z.string(),
  collectionDate: IsoDateSchema,
  total: z.number().int(),
  debits: z.array(
    z.object({
      invoice: z.string(),
      customer: z.string(),
      amount: z.number().int(),
      sequenceType: z.enum(['FRST', 'RCUR']),
      endToEndId: z.string(),
      status: z.string(),
    }),
  ),
});
const SepaViewSchema = z.object({
  creditorId: z.string().nullable(),
  companyIban: z.string().nullable(),
  mandates: z.array(MandateSchema),
  batches: z.array(
    z.object({
      messageId: z.string(),
      collectionDate: IsoDateSchema,
      debits: z.number().int(),
      total: z.number().int(),
      pending: z.number().int(),
    }),
  ),
  pending: z.array(
    z.object({
      messageId: z.string(),
      collectionDate: IsoDateSchema,
      invoiceId: z.string(),
      invoice: z.string(),
      customer: z.string(),
      customerName: z.string(),
      amount: z.number().int(),
      sequenceType: z.enum(['FRST', 'RCUR']),
    }),
  ),
});

/**
 * SEPA direct debits for the web app: the creditor identifier, customers' mandates, making a pain.008 file of
 * the due invoices (the same use case as `relance sepa debit`) and downloading any recorded file again.
 */
export function sepaRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/sepa',
    {
      config: { access: 'sepa.view' },
      schema: {
        tags,
        summary: 'Creditor identifier, mandates, direct-debit files and the debits still pending',
        response: { 200: SepaViewSchema, ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const salesRep = scope.salesRep ?? undefined;
      const [creditorId, company, mandates, batches, pending] = await Promise.all([
        getCreditorId(api.db, scope.companyId),
        viewCompany(api.db, scope.companyId),
        listMandates(api.db, scope.companyId, { salesRep }),
        listDebitBatches(api.db, scope.companyId),
        listPendingDebits(api.db, scope.companyId, { salesRep }),
      ]);
      // A restricted collector sees its représentant's customers only; a file mixes every customer's debits.
      return { creditorId, companyIban: company.iban, mandates, batches: salesRep ? [] : batches, pending };
    },
  );

  api.put(
    '/api/v1/sepa/creditor-id',
    {
      config: { access: 'company.configure' },
      schema: {
        tags,
        summary: "Set the company's SEPA creditor identifier (ICS)",
        body: z.object({ creditorId: z.string().trim().min(1).max(35) }),
        response: { 200: z.object({ creditorId: z.string() }), ...problems },
      },
    },
    async (request) => ({ creditorId: await saveCreditorId(api.db, actorOf(request), request.body) }),
  );

  api.post(
    '/api/v1/sepa/mandates',
    {
      config: { access: 'sepa.mandate' },
      schema: {
        tags,
        summary: "Record a customer's signed mandate (RUM, IBAN, date of signature)",
        body: z.object({
          customerCode: z.string().trim().min(1).max(50),
          reference: z.string().trim().min(1).max(35),
          iban: z.string().trim().min(1).max(50),
          bic: z.string().trim().max(11).nullable().default(null),
          signedOn: IsoDateSchema,
        }),
        response: { 201: MandateSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await recordMandate(api.db, actorOf(request), request.body)),
  );

  api.post(
    '/api/v1/sepa/mandates/:reference/revoke',
    {
      config: { access: 'sepa.manage' },
      schema: {
        tags,
        summary: 'Revoke a mandate: it is kept for the debits made on it, and debits no more',
        params: z.object({ reference: z.string().min(1).max(35) }),
        body: z.object({ date: IsoDateSchema.optional() }).default({}),
        response: { 200: OkSchema, ...problems },
      },
    },
    async (request) => {
      await withdrawMandate(api.db, actorOf(request), request.params.reference, request.body);
      return { ok: true as const };
    },
  );

  api.post(
    '/api/v1/sepa/debits',
    {
      config: { access: 'sepa.manage' },
      schema: {
        tags,
        summary:
          'Make the pain.008 file of the due invoices of customers with a mandate, to collect on a TARGET day; ' +
          'their invoices are held as pending payments. Download it with GET /api/v1/sepa/batches/{messageId}/file',
        body: z.object({ collectionDate: IsoDateSchema }),
        response: { 201: BatchSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await makeDebitBatch(api.db, actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/sepa/batches/:messageId/file',
    {
      config: { access: 'sepa.manage' },
      schema: {
        tags,
        summary: 'The pain.008 file of a recorded batch (the same document each time)',
        params: z.object({ messageId: z.string().min(1).max(35) }),
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const { xml, batch } = await debitBatchFile(api.db, scopeOf(request).companyId, request.params.messageId);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${batch.messageId}.xml"`)
        .send(xml as never);
    },
  );
}

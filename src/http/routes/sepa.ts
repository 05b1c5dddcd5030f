import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { todayIn } from '../../domain/calendar.ts';
import { debitBatchFile, listDebitBatches, listPendingDebits } from '../../integrations/sepa/debit-file.ts';
import { generateDirectDebits } from '../../integrations/sepa/direct-debits.ts';
import {
  addMandate,
  getCreditorId,
  listMandates,
  revokeMandate,
  setCreditorId,
} from '../../integrations/sepa/mandates.ts';
import { getCompany } from '../../storage/companies.ts';
import { getCustomerByCode } from '../../storage/customers.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { assertVisible, scopeOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
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
        getCompany(api.db, scope.companyId),
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
    async (request) => {
      const scope = scopeOf(request);
      return inTransaction(api.db, async (trx) => {
        const creditorId = await setCreditorId(trx, scope.companyId, request.body.creditorId);
        await audit(request, trx, 'sepa.creditor-id', creditorId);
        return { creditorId };
      });
    },
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
    async (request, reply) => {
      const scope = scopeOf(request);
      const mandate = await inTransaction(api.db, async (trx) => {
        const customer = await getCustomerByCode(trx, scope.companyId, request.body.customerCode);
        assertVisible(scope, customer, `customer ${request.body.customerCode}`);
        const added = await addMandate(trx, scope.companyId, { ...request.body, bic: request.body.bic || null });
        await audit(request, trx, 'sepa.mandate.added', added.reference, { customer: added.customerCode });
        return added;
      });
      return reply.code(201).send(mandate);
    },
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
      const scope = scopeOf(request);
      const company = await getCompany(api.db, scope.companyId);
      await inTransaction(api.db, async (trx) => {
        await revokeMandate(
          trx,
          scope.companyId,
          request.params.reference,
          request.body.date ?? todayIn(company.timeZone),
        );
        await audit(request, trx, 'sepa.mandate.revoked', request.params.reference);
      });
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
    async (request, reply) => {
      const scope = scopeOf(request);
      const company = await getCompany(api.db, scope.companyId);
      // The use case writes its file with its records; the recorded batch is what the download serves again.
      const dir = mkdtempSync(join(tmpdir(), 'relance-sepa-'));
      try {
        const batch = await generateDirectDebits(api.db, scope.companyId, {
          collectionDate: request.body.collectionDate,
          today: todayIn(company.timeZone),
          out: join(dir, 'pain008.xml'),
        });
        await audit(request, api.db, 'sepa.debits', batch.messageId, {
          debits: batch.debits.length,
          total: batch.total,
        });
        const { file: _file, ...recorded } = batch;
        return reply.code(201).send(recorded);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
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

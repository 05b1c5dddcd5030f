import { z } from 'zod';
import { listChequeRemittances, listChequesToRemit } from '../../payments/list-cheques.ts';
import { remitCheques } from '../../payments/remit-cheques.ts';
import { remittanceSlipPdf } from '../../payments/remittance-slip.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, IsoDateSchema, problems } from '../schemas.ts';

const tags = ['payments'];
const ChequeSchema = z.object({
  paymentId: z.string(),
  date: IsoDateSchema,
  amount: z.number().int(),
  currency: z.string(),
  reference: z.string().nullable().describe('the cheque number'),
  customerCode: z.string(),
  customerName: z.string(),
});
const RemittanceSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  depositedOn: IsoDateSchema,
  currency: z.string(),
  total: z.number().int(),
  cheques: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

/** Cheque remittance slips (bordereaux de remise de chèques): the cheques still to deposit, the slips and their PDF. */
export function chequeRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/cheques/waiting',
    {
      config: { access: 'payments.view' },
      schema: {
        tags,
        summary: 'Cheques recorded as payments and not yet on a remittance slip, oldest first',
        response: { 200: z.object({ items: z.array(ChequeSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listChequesToRemit(api.db, scopeOf(request)) }),
  );

  api.get(
    '/api/v1/cheque-remittances',
    {
      config: { access: 'payments.view' },
      schema: {
        tags,
        summary: 'Cheque remittance slips, the latest first',
        response: { 200: z.object({ items: z.array(RemittanceSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listChequeRemittances(api.db, scopeOf(request)) }),
  );

  api.post(
    '/api/v1/cheque-remittances',
    {
      config: { access: 'payments.record' },
      schema: {
        tags,
        summary: 'Put cheques on a new remittance slip (numbered), to deposit them at the bank',
        body: z.object({ paymentIds: z.array(z.string().max(100)).min(1).max(2000), depositedOn: IsoDateSchema }),
        response: { 201: RemittanceSchema, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await remitCheques(api.db, actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/cheque-remittances/:id/pdf',
    {
      config: { access: 'payments.view' },
      schema: {
        tags,
        summary: 'A remittance slip as a PDF (the same bytes each time)',
        params: IdParamsSchema,
        response: { ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { bytes, fileName } = await remittanceSlipPdf(api.db, scope.companyId, request.params.id, {
        salesRep: scope.salesRep ?? undefined,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(bytes as never);
    },
  );
}

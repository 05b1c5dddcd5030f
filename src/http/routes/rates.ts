import { z } from 'zod';
import {
  describeMissingRate,
  importEcbRates,
  listRates,
  missingRatesFor,
  setRate,
} from '../../dunning/late-payment-rates.ts';
import { companyDate } from '../../accounts/view-company.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { requestLanguage } from '../language.ts';
import { IsoDateSchema, problems } from '../schemas.ts';

const tags = ['rates'];

const RateRowSchema = z.object({
  from: IsoDateSchema,
  rate: z.string().describe('percent, "2.40"'),
  source: z.string(),
  verified: z.boolean(),
  origin: z.enum(['shipped', 'company']),
});
const SeriesSchema = z.object({
  series: z.string(),
  fr: z.string(),
  en: z.string(),
  where: z.string(),
  knownThrough: IsoDateSchema,
  values: z.array(RateRowSchema),
});
const MissingSchema = z.object({
  series: z.string(),
  halfYear: z.string(),
  date: IsoDateSchema,
  where: z.string(),
  message: z.string(),
});

function actorOf(request: Parameters<typeof principalOf>[0]) {
  const p = principalOf(request);
  return { userId: p.userId, actor: p.via === 'token' ? `${p.email} (API token)` : p.email };
}

/** The late-payment reference rates: shipped values, the company's own, and the ones to enter. */
export function rateRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/rates',
    {
      config: { access: 'rates.view' },
      schema: {
        tags,
        summary: "Every rate series with its values (shipped and the company's own), and the rates to enter",
        querystring: z.object({ lang: z.enum(['fr', 'en']).default('fr'), date: IsoDateSchema.optional() }),
        response: { 200: z.object({ series: z.array(SeriesSchema), missing: z.array(MissingSchema) }), ...problems },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const date = request.query.date ?? (await companyDate(api.db, scope.companyId));
      const missing = await missingRatesFor(api.db, scope.companyId, date);
      return {
        series: await listRates(api.db, scope.companyId, request.query.lang),
        missing: missing.map((m) => ({
          series: m.series,
          halfYear: m.halfYear,
          date: m.date,
          where: m.where,
          message: describeMissingRate(m, request.query.lang),
        })),
      };
    },
  );

  api.post(
    '/api/v1/rates',
    {
      config: { access: 'rates.edit' },
      schema: {
        tags,
        summary: 'Record a value of a series from a date, with its source (overrides the shipped value of that date)',
        body: z.object({
          series: z.string().min(1).max(40),
          from: z.string().max(10),
          rate: z.string().max(10),
          source: z.string().max(500),
        }),
        response: { 201: z.object({ series: z.array(SeriesSchema) }), ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      await setRate(api.db, scope.companyId, request.body, actorOf(request));
      return reply.code(201).send({ series: await listRates(api.db, scope.companyId, requestLanguage(request)) });
    },
  );

  api.post(
    '/api/v1/rates/ecb-import',
    {
      config: { access: 'rates.edit' },
      schema: {
        tags,
        summary: "Read the ECB Data Portal CSV export of the main refinancing rate (the file's text)",
        body: z.object({
          fileName: z.string().min(1).max(200),
          content: z.string().min(1).max(1_000_000),
          asOf: IsoDateSchema.optional(),
        }),
        response: {
          200: z.object({
            added: z.array(z.object({ from: IsoDateSchema, rate: z.string() })),
            knownThrough: IsoDateSchema,
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const asOf = request.body.asOf ?? (await companyDate(api.db, scope.companyId));
      return importEcbRates(
        api.db,
        scope.companyId,
        request.body.content,
        { asOf, fileName: request.body.fileName, language: requestLanguage(request) },
        actorOf(request),
      );
    },
  );
}

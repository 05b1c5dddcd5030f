import { z } from 'zod';
import { IsoDateSchema } from './schemas.ts';

/** What the dunning routes answer: a plan (amounts as decimal strings), a run, a policy. */
const Totals = z.record(z.string(), z.string());
const Bucket = z.object({ count: z.number().int(), totals: Totals });
export const PlanSchema = z.object({
  date: IsoDateSchema,
  items: z.array(
    z.object({
      customer: z.string(),
      invoice: z.string(),
      action: z.enum(['send', 'wait', 'skip']),
      nextLevel: z.number().int().nullable(),
      lastLevel: z.number().int(),
      label: z.string(),
      daysOverdue: z.number().int(),
      balance: z.string(),
      currency: z.string(),
      channels: z.array(z.string()),
      eligibleOn: IsoDateSchema.nullable(),
      reasonCode: z.string().nullable(),
      reason: z.string().nullable(),
      interest: z.string().nullable(),
      indemnity: z.string().nullable(),
      chargesNotes: z.array(z.string()),
      indemnityCurrency: z.string().nullable().describe("the fixed indemnity's currency, set by the law (EUR, GBP)"),
      law: z.string().nullable().describe('the late-payment law the charges follow: FR, DE, GB or EU'),
      rate: z.string().nullable().describe('the interest rate of the plan date, in percent ("12.40")'),
      chargesClaimed: z
        .boolean()
        .describe('the letter of this step claims the charges (else they are owed but not claimed)'),
    }),
  ),
  missingRates: z
    .array(
      z.object({
        series: z.string(),
        halfYear: z.string(),
        date: IsoDateSchema,
        where: z.string(),
        message: z.string(),
        messageFr: z.string(),
      }),
    )
    .describe('rates to enter (from 30 days before a half-year without them)'),
  communications: z.array(
    z.object({
      customer: z.string(),
      currency: z.string(),
      level: z.number().int(),
      label: z.string(),
      channels: z.array(z.string()),
      formalNotice: z.boolean(),
      invoices: z.array(z.string()),
      total: z.string(),
    }),
  ),
  summary: z.object({
    levels: z.array(z.object({ level: z.number().int(), label: z.string(), toSend: Bucket, inProgress: Bucket })),
    outOfCycle: Bucket,
    byReason: z.record(z.string(), Bucket),
    sends: z.number().int(),
    communications: z.number().int(),
  }),
});

export const RunSchema = z.object({
  id: z.string(),
  date: IsoDateSchema,
  kind: z.enum(['manual', 'automatic']),
  status: z.enum(['running', 'completed', 'failed']),
  dryRun: z.boolean(),
  summary: z.unknown(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const PolicySchemaOut = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  definition: z.unknown(),
});

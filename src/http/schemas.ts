import { z } from 'zod';
import {
  AllocationSchema,
  CompanySchema,
  ContactSchema,
  CreditNoteSchema,
  CustomerSchema,
  InvoiceSchema,
  PaymentSchema,
  QuoteSchema,
} from '../domain/ledger.ts';
import { isEmail } from '../domain/identifiers.ts';

/** One e-mail address, checked as a CSV import checks it (`isEmail`): one address, never a line break. */
export const EmailAddressSchema = z
  .string()
  .trim()
  .max(254)
  .refine(isEmail, {
    message: 'not an e-mail address (one address, without line breaks or control characters)',
    params: { code: 'problem.validation.email' },
  });

/**
 * Response shapes. Every route declares its responses with these, and the serializer encodes through
 * them: a field not listed here (a password hash, a secret, an internal column) never reaches a client.
 */
export const IdParamsSchema = z.object({ id: z.string().min(1).max(100) });
export const IsoDateSchema = z.iso.date();

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    /** Catalogue key of the detail (src/i18n) and its params, so a client shows it in its reader's language. */
    messageKey: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    message: z
      .string()
      .optional()
      .describe("the message in the reader's language (Accept-Language; French unless English is asked for)"),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          reason: z.string(),
          line: z.number().int().optional(),
          code: z.string().optional().describe('catalogue key of the reason (src/i18n)'),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          message: z.string().optional().describe("the field's label and reason in the reader's language"),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const OkSchema = z.object({ ok: z.literal(true) });

export {
  AllocationSchema,
  CompanySchema,
  ContactSchema,
  CreditNoteSchema,
  CustomerSchema,
  InvoiceSchema,
  PaymentSchema,
  QuoteSchema,
};

export const CustomerListItemSchema = CustomerSchema.extend({
  email: z.string().nullable(),
  openInvoices: z.number().int(),
  balance: z.number().int(),
});
export const CustomerDetailSchema = CustomerSchema.extend({
  contacts: z.array(ContactSchema),
  dunning: z.object({
    policy: z.string().nullable(),
    pausedUntil: IsoDateSchema.nullable(),
    blockedReason: z.string().nullable(),
    law: z
      .string()
      .nullable()
      .describe('the contract\'s "loi applicable" (FR, DE, GB, EU); null follows the seller\'s law'),
  }),
});

export const InvoiceListItemSchema = InvoiceSchema.extend({
  customerCode: z.string(),
  customerName: z.string(),
  balance: z.number().int(),
  daysOverdue: z.number().int(),
  lastReminderOn: IsoDateSchema.nullable().describe('date of the last reminder sent (« Dernière relance »)'),
  overdueFrom: IsoDateSchema.optional().describe(
    'first day late, the day after the due date (« date de dépassement », J+1)',
  ),
  nextActionDate: IsoDateSchema.nullable()
    .optional()
    .describe(
      'when the engine next looks at it (« Prochaine relance »); null when nothing is planned or not yet worked out',
    ),
});
export const TotalsSchema = z.object({
  totals: z.array(
    z.object({
      currency: z.string(),
      count: z.number().int(),
      totalExclTax: z.number().int(),
      total: z.number().int(),
      balance: z.number().int(),
    }),
  ),
  moreThan: z
    .number()
    .int()
    .optional()
    .describe(
      'set when a search (q) matches more invoices than this: totals is then empty, the matches neither counted nor summed',
    ),
});
export const AllocationDetailSchema = AllocationSchema.extend({
  kind: z.enum(['payment', 'credit_note']),
  label: z.string(),
});
export const ReminderItemSchema = z.object({
  invoice: z.string(),
  customer: z.string(),
  level: z.number().int(),
  sentOn: IsoDateSchema,
  channel: z.string(),
  runId: z.string().nullable(),
  communicationId: z.string().nullable().describe('GET /api/v1/communications/{id}/letter prints its letter again'),
});
export const InvoiceDetailSchema = InvoiceListItemSchema.extend({
  allocations: z.array(AllocationDetailSchema),
  reminders: z.array(ReminderItemSchema),
  schedule: z
    .object({
      instalments: z.array(z.object({ seq: z.number().int(), dueDate: IsoDateSchema, amount: z.number().int() })),
    })
    .nullable(),
  hasPdf: z.boolean(),
});

export const PaymentListItemSchema = PaymentSchema.extend({
  unallocated: z.number().int(),
  customerCode: z.string(),
  customerName: z.string(),
  remittanceId: z.string().nullable().describe('the cheque remittance slip the cheque went on'),
});

export const ImportReportSchema = z.object({
  kind: z.string(),
  file: z.string(),
  encoding: z.string(),
  delimiter: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  badRows: z.number().int(),
  issueCount: z.number().int(),
  issues: z.array(
    z.object({
      line: z.number().int().optional(),
      field: z.string(),
      value: z.string().optional(),
      reason: z.string(),
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
  ignoredColumns: z.array(z.string()),
  columns: z.record(z.string(), z.string()),
  headerProblem: z.boolean(),
  warnings: z.array(z.object({ line: z.number().int(), message: z.string(), code: z.string().optional() })),
  committed: z.boolean(),
  dryRun: z.boolean(),
});

export { CompanySchema as CompanyOutSchema };

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
import { RoleSchema } from '../accounts/roles.ts';
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
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          reason: z.string(),
          line: z.number().int().optional(),
          code: z.string().optional().describe('catalogue key of the reason (src/i18n)'),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
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
  warnings: z.array(z.object({ line: z.number().int(), message: z.string() })),
  committed: z.boolean(),
  dryRun: z.boolean(),
});

export const MemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  salesRep: z.string().nullable(),
});
export const SessionInfoSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  company: z.object({ id: z.string(), legalName: z.string() }),
  role: RoleSchema,
  salesRep: z.string().nullable(),
  companies: z.array(z.object({ id: z.string(), legalName: z.string(), role: RoleSchema })),
  csrfToken: z.string().nullable(),
});
export const TokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
});
export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export const DeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export { CompanySchema as CompanyOutSchema };

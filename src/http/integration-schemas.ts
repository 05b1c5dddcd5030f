import { z } from 'zod';
import { IsoDateSchema } from './schemas.ts';

// The import reports as the API answers them: the serializer encodes through these, so the OpenAPI
// document and the web app's types say what each upload returns (the route handlers are typed against them).
const Money = z.number().int().describe('cents');

const Params = z.record(z.string(), z.union([z.string(), z.number()]));

const IssueSchema = z.object({
  line: z.number().int().optional(),
  field: z.string(),
  value: z.string().optional(),
  reason: z.string().describe('in English, for logs'),
  code: z.string().optional().describe('the reason as a catalogue key (reason.*), to say in any language'),
  params: Params.optional(),
});

export const EInvoiceReportSchema = z.object({
  invoices: z.array(
    z.object({
      file: z.string(),
      format: z.enum(['factur-x', 'cii', 'ubl']),
      kind: z.enum(['invoice', 'credit_note']),
      invoice: z.string(),
      action: z.enum(['created', 'updated', 'unchanged']),
      customer: z.string(),
      customerCreated: z.boolean(),
      dueDate: IsoDateSchema,
      dueDateSource: z.enum(['BT-9', 'BT-20', 'default']),
      paidRecorded: Money,
      pdfKept: z.boolean(),
    }),
  ),
  statuses: z.array(
    z.object({
      file: z.string(),
      invoice: z.string(),
      code: z.number().int(),
      label: z.string(),
      date: IsoDateSchema,
      effect: z.enum([
        'disputed',
        'held',
        'cancelled',
        'payment_expected',
        'payment_recorded',
        'recorded',
        'already_known',
      ]),
      amount: Money.optional(),
    }),
  ),
  rejected: z
    .array(
      z.object({
        file: z.string(),
        reason: z.string().describe('in English, for logs'),
        code: z.string().optional().describe('the reason as a catalogue key, to say in any language'),
        params: Params.optional(),
      }),
    )
    .describe('files (or statuses) left out, with why'),
  files: z
    .array(
      z.object({
        file: z.string().describe('the upload\'s name; a second upload of the same name gets " (2)"'),
        outcome: z.enum(['imported', 'partly_imported', 'rejected']),
        invoices: z.array(z.string()),
        statuses: z.number().int(),
        reasons: z.array(z.string()).describe('in English, for logs: `rejected` has them with their catalogue keys'),
      }),
    )
    .describe('each uploaded file in order, with what became of it'),
  committed: z.boolean(),
  dryRun: z.boolean(),
});

export const BankReportSchema = z.object({
  file: z.string(),
  format: z.enum(['camt.053', 'csv']),
  lines: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  ignored: z.number().int(),
  alreadyImported: z.number().int(),
  outcomes: z.array(
    z.object({
      where: z.string(),
      date: IsoDateSchema,
      amount: Money,
      currency: z.string(),
      counterparty: z.string().nullable(),
      reference: z.string().nullable(),
      status: z.enum(['matched', 'unmatched', 'ignored', 'returned', 'already_imported']),
      rule: z.enum(['direct_debit', 'direct_debit_batch', 'reference', 'amount_and_customer']).optional(),
      invoices: z.array(z.string()).optional(),
      reason: z.string().optional().describe('why a credit is unmatched, in English, for logs'),
      code: z.string().optional().describe('the reason as a catalogue key (reason.bank.*), to say in any language'),
      params: Params.optional(),
    }),
  ),
  skipped: z.array(IssueSchema).describe('unreadable lines left out with skipInvalid: where and why'),
  dryRun: z.boolean(),
});

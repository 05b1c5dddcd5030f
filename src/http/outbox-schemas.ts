import { z } from 'zod';
import type { DispatchReport } from '../mail/dispatch.ts';
import type { OutboxMessage } from '../storage/outbox.ts';

// The outbox's messages and dispatch reports as every route that queues or sends mail answers them.
const STATUSES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'] as const;
export const OutboxStatusSchema = z.enum(STATUSES);
export const OutboxErrorSchema = z
  .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
  .nullable()
  .describe('why it is not sent, as a catalogue code (outbox.errors.*) and its params, to say in any language');

/** A message as listed: recipients, subject, state; bodies only in the detail. Attachments by file name. */
export const OutboxMessageSchema = z.object({
  id: z.string(),
  kind: z.enum(['reminder', 'manual', 'test', 'simulation']),
  status: OutboxStatusSchema,
  messageId: z.string(),
  communicationId: z.string().nullable(),
  customerId: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  replyTo: z.string().nullable(),
  subject: z.string(),
  attachments: z.array(z.string()),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable().describe('why it is not sent, as written for logs'),
  error: OutboxErrorSchema,
  smtpResponse: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export const OutboxDetailSchema = OutboxMessageSchema.extend({ text: z.string(), html: z.string().nullable() });

export const DispatchReportSchema = z.object({
  sent: z.number().int(),
  retried: z.number().int(),
  failed: z.number().int(),
  interrupted: z.number().int(),
  notSent: z
    .number()
    .int()
    .describe('queued messages not sent because no SMTP server is configured (written as .eml files)'),
  stopped: z.string().nullable().describe('why the dispatch stopped early, as written for logs'),
  stoppedReason: z
    .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .nullable()
    .default(null)
    .describe('the same as a catalogue code (outbox.smtp.*) and its params, when its cause is a known one'),
  cancelled: z
    .number()
    .int()
    .default(0)
    .describe('reminders cancelled at send time: an invoice was paid, disputed, held or changed since it was queued'),
});

export function toMessageOut(m: OutboxMessage): z.infer<typeof OutboxMessageSchema> {
  return {
    ...m,
    attachments: m.attachments.map((a) => String((a as { filename?: unknown }).filename ?? 'attachment')),
  };
}

export function reportOut(report: DispatchReport): z.infer<typeof DispatchReportSchema> {
  const { sent, retried, failed, interrupted, notSent, stopped, cancelled } = report;
  return {
    sent,
    retried,
    failed,
    interrupted,
    notSent,
    stopped,
    stoppedReason: report.stoppedReason ?? null,
    cancelled,
  };
}

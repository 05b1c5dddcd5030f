import { loadMessageContextsWithPolicies, type ContextRequest } from '../communications/load-context.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import type { MessageContext } from '../communications/message-context.ts';
import type { Db } from '../storage/database.ts';
import { reminderKey, type OutboxInput } from '../storage/outbox.ts';
import { loadTemplates, renderMessage, templateKeyForStep, type MessageTemplate } from '../templates/index.ts';
import { scheduleBlocks, scheduledInvoices, scheduleTexts } from '../follow-ups/schedule-text.ts';
import type { AttachmentRef } from './attachments.ts';
import { appendBlock, upcomingBlocks } from '../communications/upcoming-block.ts';
import { getMailSettings, messageIdDomain, type MailSettings } from './settings.ts';
import { replyToFor } from '../replies/reply-address.ts';

/**
 * What a reminder e-mail carries: the reminder letter and the invoices to pay, both on by default,
 * and the schedule (échéancier) of each invoice that has one, on with the invoices unless said otherwise.
 */
export type AttachmentChoice = { letter?: boolean; invoices?: boolean; statement?: boolean; schedule?: boolean };

export type ComposedEmail = { input: OutboxInput; context: MessageContext };

export function letterFilename(context: MessageContext): string {
  const what = context.level.formalNotice
    ? context.language === 'en'
      ? 'Formal notice'
      : 'Mise en demeure'
    : context.language === 'en'
      ? 'Reminder'
      : 'Relance';
  return `${what} ${context.customer.code} ${context.date}.pdf`;
}

export function invoiceFilename(context: MessageContext, number: string): string {
  return `${context.language === 'en' ? 'Invoice' : 'Facture'} ${number}.pdf`;
}

export function attachmentRefs(
  context: MessageContext,
  letterText: string,
  choice: AttachmentChoice = {},
): AttachmentRef[] {
  const refs: AttachmentRef[] = [];
  if (choice.letter ?? true)
    refs.push({ kind: 'letter', filename: letterFilename(context), text: letterText, context });
  if (choice.invoices ?? true) {
    for (const invoice of context.invoices) {
      refs.push({ kind: 'invoice', invoiceId: invoice.id, filename: invoiceFilename(context, invoice.number) });
    }
  }
  if (choice.schedule ?? choice.invoices ?? true) {
    for (const invoice of scheduledInvoices(context)) {
      refs.push({
        kind: 'schedule',
        invoiceNumber: invoice.number,
        date: context.date,
        filename: scheduleTexts(context.language).filename(invoice.number),
      });
    }
  }
  if (choice.statement) {
    refs.push({
      kind: 'statement',
      customerCode: context.customer.code,
      date: context.date,
      filename: `${context.language === 'en' ? 'Statement' : 'Relevé de compte'} ${context.customer.code} ${context.date}.pdf`,
    });
  }
  return refs;
}

/** A rendered template and a context as an outbox row: recipients from the context, CC/BCC/Reply-To from the settings. */
export function toOutboxInput(
  context: MessageContext,
  template: MessageTemplate,
  settings: MailSettings,
  extra: Pick<OutboxInput, 'kind' | 'idempotencyKey'> & Partial<OutboxInput> & { attach?: AttachmentChoice },
): OutboxInput {
  const rendered = renderMessage(template, context, { strict: true, sending: true });
  const { attach, ...rest } = extra;
  const attachments = attachmentRefs(context, rendered.letter, attach);
  // Invoices on a schedule: their instalments follow the template's body, whatever the template says.
  const schedules = scheduleBlocks(
    context,
    attachments.some((a) => a.kind === 'schedule'),
  );
  const body = appendBlock(
    appendBlock({ text: rendered.text, html: rendered.html }, schedules),
    upcomingBlocks(context),
  );
  return {
    customerId: context.customer.id,
    to: context.recipients,
    cc: settings.cc,
    bcc: settings.bcc,
    replyTo: settings.replyTo,
    subject: rendered.subject,
    text: body.text,
    html: body.html,
    attachments,
    // A batch passes the domain it read once: parsing the sender's address cost a sixth of each e-mail.
    messageIdDomain: rest.messageIdDomain ?? messageIdDomain(settings),
    ...rest,
  };
}

/**
 * The e-mails of a batch of reminders (a run's communications), read in a fixed number of queries:
 * contexts, templates, policies and settings once for the whole batch. A request whose customer has no
 * deliverable address (none, or every one bounced) gets null: the caller sends a letter instead.
 */
export async function composeReminderEmails(
  db: Db,
  companyId: string,
  requests: ContextRequest[],
): Promise<(ComposedEmail | null)[]> {
  if (requests.length === 0) return [];
  // Each context with its customer's policy, which picks the template: read with the contexts, not again.
  const [withPolicies, templateOf, settings] = await Promise.all([
    loadMessageContextsWithPolicies(db, companyId, requests),
    loadTemplates(db, companyId),
    getMailSettings(db, companyId),
  ]);
  const contexts = withPolicies.map((c) => c.context);
  const replyTo = await replyToFor(db, companyId, settings);
  const domain = messageIdDomain(settings);
  await withPortalUrls(
    db,
    companyId,
    contexts.filter((c) => c.recipients.length > 0),
  );
  return contexts.map((context, index) => {
    if (context.recipients.length === 0) return null;
    const policy = withPolicies[index]!.policy;
    const template = templateOf(templateKeyForStep(policy, context.level.number), context.language);
    const request = requests[index]!;
    return {
      context,
      input: toOutboxInput(context, template, settings, {
        kind: 'reminder',
        idempotencyKey: reminderKey(request.invoiceIds, request.level),
        replyTo: replyTo(context.customer.id),
        messageIdDomain: domain,
      }),
    };
  });
}

export type PlannedCommunication = {
  customerId: string;
  invoiceIds: string[];
  level: number;
  date: ContextRequest['date'];
  channels: string[];
};

/**
 * The final channels and the e-mails of a run's communications. One that should go by e-mail to a
 * customer without a deliverable address (every address bounced) goes by letter instead.
 */
export async function emailsForCommunications(
  db: Db,
  companyId: string,
  planned: PlannedCommunication[],
): Promise<{ channels: string[]; emails: OutboxInput[] }[]> {
  const wanted = planned.map((p, index) => ({ p, index })).filter(({ p }) => p.channels.includes('email'));
  const composed = await composeReminderEmails(
    db,
    companyId,
    wanted.map(({ p }) => ({ customerId: p.customerId, invoiceIds: p.invoiceIds, level: p.level, date: p.date })),
  );
  const byIndex = new Map(wanted.map(({ index }, at) => [index, composed[at] ?? null]));
  return planned.map((p, index) => {
    if (!p.channels.includes('email')) return { channels: p.channels, emails: [] };
    const email = byIndex.get(index);
    if (email) return { channels: p.channels, emails: [email.input] };
    return { channels: [...new Set([...p.channels.filter((c) => c !== 'email'), 'letter'])], emails: [] };
  });
}

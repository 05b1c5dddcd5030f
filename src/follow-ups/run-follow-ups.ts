import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatDateText, moneyText } from '../communications/format.ts';
import { loadMessageContexts } from '../communications/load-context.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { groupBy } from '../shared/group-by.ts';
import { isUniqueViolation } from '../storage/database.ts';
import {
  customerCodesById,
  insertInstalmentReminder,
  insertQuoteReminders,
  pendingQuotesWithHistory,
  scheduledInvoicesOn,
} from '../storage/follow-ups.ts';
import { enqueueMessages } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { toOutboxInput } from '../mail/compose.ts';
import { getMailSettings } from '../mail/settings.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import { replyToFor } from '../replies/reply-address.ts';
import { loadTemplates } from '../templates/index.ts';
import { dueInstalments, planQuoteFollowUps, type InstalmentDue, type QuoteFollowUp } from './plan.ts';
import { quotePolicy } from './quote-policy.ts';

export type FollowUpReport = {
  date: IsoDate;
  dryRun: boolean;
  quotes: (QuoteFollowUp & { customer: string; status: 'queued' | 'would_send' | 'no_email' | 'raced' })[];
  instalments: (InstalmentDue & { customer: string; status: 'queued' | 'would_send' | 'no_email' | 'raced' })[];
};

function key(prefix: string, parts: string[]): string {
  return `${prefix}:${createHash('sha256')
    .update([...parts].sort().join(','))
    .digest('hex')
    .slice(0, 40)}`;
}

const INSTALMENT_LINE = {
  fr: (d: InstalmentDue, amount: string, date: string) =>
    `Échéance ${d.seq}/${d.count} de la facture ${d.number}, due le ${date} : ${amount}.`,
  en: (d: InstalmentDue, amount: string, date: string) =>
    `Instalment ${d.seq}/${d.count} of invoice ${d.number}, due on ${date}: ${amount}.`,
};

/**
 * `relance follow-ups`: the quote follow-ups and instalment reminders due on `date`, each queued once
 * as an e-mail in the outbox (the mail dispatcher sends it). A quote follow-up uses the
 * `relance-devis` template and lists the customer's quotes; an instalment reminder uses the `standard`
 * template of its invoice, opens with the instalment, lists the schedule after the body and carries it as a PDF. Each
 * customer's e-mail and its records are one transaction; the unique (quote, level) and (schedule,
 * instalment) keys make a second run, or a racing one, send nothing twice.
 */
export async function runFollowUps(
  db: Kysely<Database>,
  companyId: string,
  options: {
    date: IsoDate;
    dryRun?: boolean;
    /** Who asked (the command line): each message queued is audited in its transaction. A run audits itself. */
    actor?: Actor;
  },
): Promise<FollowUpReport> {
  const { date } = options;
  const report: FollowUpReport = { date, dryRun: options.dryRun ?? false, quotes: [], instalments: [] };
  const policy = await quotePolicy(db, companyId);
  const pending = await pendingQuotesWithHistory(db, companyId, date);
  const quotePlan = planQuoteFollowUps(pending.quotes, pending.sent, policy, date);
  const scheduled = await scheduledInvoicesOn(db, companyId, date);
  const instalmentPlan = dueInstalments(scheduled.invoices, scheduled.reminded, date);
  const customers = await customerCodesById(db, companyId, [
    ...new Set([...quotePlan.map((q) => q.customerId), ...instalmentPlan.map((i) => i.customerId)]),
  ]);
  const [templateOf, settings] = await Promise.all([loadTemplates(db, companyId), getMailSettings(db, companyId)]);
  // Like a reminder: the customer's tagged Reply-To, and its page's address minted in the message's transaction.
  const replyTo = await replyToFor(db, companyId, settings);

  // Quotes: one e-mail per customer and level, listing its quotes.
  const quoteGroups = groupBy(
    quotePlan,
    (q) => `${q.customerId}:${q.level}`,
    (q) => q,
  );
  for (const group of quoteGroups.values()) {
    const { customerId, level } = group[0]!;
    const [context] = await loadMessageContexts(db, companyId, [
      {
        customerId,
        invoiceIds: [],
        quoteIds: group.map((q) => q.quoteId),
        // Level 0: the invoice policy's label, charges and formal notice mean nothing for a quote.
        level: 0,
        date,
      },
    ]);
    const customer = customers.get(customerId) ?? '';
    let status: FollowUpReport['quotes'][number]['status'] =
      context!.recipients.length === 0 ? 'no_email' : options.dryRun ? 'would_send' : 'queued';
    if (status === 'queued') {
      status = await db
        .transaction()
        .execute(async (trx) => {
          await withPortalUrls(trx, companyId, [context!]);
          const input = toOutboxInput(context!, templateOf('relance-devis', context!.language), settings, {
            kind: 'reminder',
            idempotencyKey: key(
              `quote:${level}`,
              group.map((q) => q.quoteId),
            ),
            replyTo: replyTo(customerId),
            attach: { letter: false, invoices: false },
          });
          const [message] = await enqueueMessages(trx, companyId, [input]);
          await insertQuoteReminders(trx, companyId, {
            quoteIds: group.map((q) => q.quoteId),
            level,
            date,
            outboxId: message!.id,
          });
          if (options.actor)
            await auditBy(trx, options.actor, 'follow_up.quote', message!.id, { level, quotes: group.length });
          return 'queued' as const;
        })
        .catch((error: unknown) => (isUniqueViolation(error) ? ('raced' as const) : Promise.reject(error)));
    }
    for (const q of group) report.quotes.push({ ...q, customer, status });
  }

  // Instalments: one e-mail per instalment, with the schedule attached.
  for (const due of instalmentPlan) {
    const [context] = await loadMessageContexts(db, companyId, [
      { customerId: due.customerId, invoiceIds: [due.invoiceId], level: 0, date },
    ]);
    const customer = customers.get(due.customerId) ?? '';
    let status: FollowUpReport['instalments'][number]['status'] =
      context!.recipients.length === 0 ? 'no_email' : options.dryRun ? 'would_send' : 'queued';
    if (status === 'queued') {
      const lead = INSTALMENT_LINE[context!.language](
        due,
        moneyText(due.unpaid, context!.currency, context!.language).text,
        formatDateText(due.dueDate, context!.language),
      );
      status = await db
        .transaction()
        .execute(async (trx) => {
          await withPortalUrls(trx, companyId, [context!]);
          // The context carries the schedule: its instalments follow the body and its PDF is attached (rebuilt at dispatch).
          const input = toOutboxInput(context!, templateOf('standard', context!.language), settings, {
            kind: 'reminder',
            idempotencyKey: `instalment:${due.scheduleId}:${due.seq}`,
            replyTo: replyTo(due.customerId),
            attach: { letter: false, invoices: true, schedule: true },
          });
          input.text = `${lead}\n\n${input.text}`;
          if (input.html) input.html = input.html.replace(/<body([^>]*)>/i, (m) => `${m}<p>${escapeHtml(lead)}</p>`);
          const [message] = await enqueueMessages(trx, companyId, [input]);
          await insertInstalmentReminder(trx, companyId, {
            scheduleId: due.scheduleId,
            seq: due.seq,
            date,
            outboxId: message!.id,
          });
          if (options.actor)
            await auditBy(trx, options.actor, 'follow_up.instalment', message!.id, {
              invoice: due.number,
              seq: due.seq,
            });
          return 'queued' as const;
        })
        .catch((error: unknown) => (isUniqueViolation(error) ? ('raced' as const) : Promise.reject(error)));
    }
    report.instalments.push({ ...due, customer, status });
  }
  return report;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

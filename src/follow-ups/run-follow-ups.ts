import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { formatDateText, moneyText } from '../communications/format.ts';
import { loadMessageContexts } from '../communications/load-context.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { parsePolicy, type Policy, type PolicyJson } from '../domain/dunning/policy.ts';
import { newId } from '../shared/ids.ts';
import { groupBy } from '../shared/group-by.ts';
import { isUniqueViolation, nowIso, type Db } from '../storage/database.ts';
import { AppError } from '../shared/errors.ts';
import { enqueueMessages } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { toOutboxInput } from '../mail/compose.ts';
import { getMailSettings } from '../mail/settings.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import { replyToFor } from '../replies/reply-address.ts';
import { loadTemplates } from '../templates/index.ts';
import { inIds } from '../storage/in-list.ts';
import { dueInstalments, planQuoteFollowUps, type InstalmentDue, type QuoteFollowUp } from './plan.ts';

/** Seed 002's quote "Prérelance": one e-mail a week before the quote expires. */
export const DEFAULT_QUOTE_POLICY: PolicyJson = {
  name: 'devis',
  steps: [{ label: 'Relance de devis', delayDays: -7, from: 'dueDate', channels: ['email'] }],
  minBalance: '0.00',
  minDaysBetween: 0,
};

/** The company's quote follow-up policy, or the default one. */
export async function quotePolicy(db: Db, companyId: string): Promise<Policy> {
  const row = await db
    .selectFrom('follow_up_settings')
    .select('quote_policy')
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return parsePolicy(row ? JSON.parse(row.quote_policy) : structuredClone(DEFAULT_QUOTE_POLICY));
}

/**
 * Sets the steps of quote follow-ups (the dunning policy format; `dueDate` is the quote's expiry date).
 * Only e-mail is sent for quotes, so a step must list the email channel. Null goes back to the default.
 */
export async function setQuotePolicy(db: Db, companyId: string, json: unknown | null): Promise<Policy> {
  if (json === null) {
    await db.deleteFrom('follow_up_settings').where('company_id', '=', companyId).execute();
    return quotePolicy(db, companyId);
  }
  const policy = parsePolicy(json);
  const noEmail = policy.steps.findIndex((s) => !s.channels.includes('email'));
  if (noEmail >= 0) {
    throw new AppError(
      'invalid_input',
      'invalid quote policy: quote follow-ups are sent by e-mail',
      [{ field: `steps.${noEmail}.channels`, reason: 'must include "email"', code: 'reason.emailOnly' }],
      { key: 'problem.quotes.emailOnly' },
    );
  }
  const text = JSON.stringify(json);
  await db
    .insertInto('follow_up_settings')
    .values({ company_id: companyId, quote_policy: text, updated_at: nowIso() })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ quote_policy: text, updated_at: nowIso() }))
    .execute();
  return policy;
}

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
  options: { date: IsoDate; dryRun?: boolean },
): Promise<FollowUpReport> {
  const { date } = options;
  const report: FollowUpReport = { date, dryRun: options.dryRun ?? false, quotes: [], instalments: [] };
  const policy = await quotePolicy(db, companyId);
  const quotes = await db
    .selectFrom('quotes')
    .select(['id', 'number', 'customer_id', 'valid_until', 'date'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'pending')
    .where('valid_until', '>=', date)
    .orderBy('number')
    .execute();
  // The history of the quotes still pending only: the follow-ups of quotes long since signed or expired stay unread.
  const sentRows =
    quotes.length === 0
      ? []
      : await db
          .selectFrom('quote_reminders')
          .select(['quote_id', 'level', 'sent_on'])
          .where('company_id', '=', companyId)
          .where(
            inIds(
              db,
              'quote_id',
              quotes.map((q) => q.id),
            ),
          )
          .execute();
  const sent = groupBy(
    sentRows,
    (r) => r.quote_id,
    (r) => ({ level: r.level, sentOn: r.sent_on }),
  );
  const quotePlan = planQuoteFollowUps(
    quotes.map((q) => ({
      id: q.id,
      number: q.number,
      customerId: q.customer_id,
      validUntil: q.valid_until,
      date: q.date,
    })),
    sent,
    policy,
    date,
  );

  // The holds of the dunning apply to instalments too: dispute, promise to pay, customer paused or blocked.
  const scheduled = await db
    .selectFrom('payment_schedules as s')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 's.company_id').onRef('i.id', '=', 's.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select(['s.id', 'i.id as invoice_id', 'i.number', 'i.customer_id', 'i.total', 'i.allocated'])
    .where('s.company_id', '=', companyId)
    .where('i.status', '=', 'issued')
    .where('i.disputed', '=', 0)
    .where((eb) => eb.or([eb('i.promise_to_pay_date', 'is', null), eb('i.promise_to_pay_date', '<', date)]))
    .where('c.dunning_blocked_reason', 'is', null)
    .where((eb) => eb.or([eb('c.dunning_paused_until', 'is', null), eb('c.dunning_paused_until', '<', date)]))
    .where(sql<boolean>`i.allocated < i.total`)
    .orderBy('i.number')
    .execute();
  const instalmentRows =
    scheduled.length === 0
      ? []
      : await db
          .selectFrom('instalments')
          .selectAll()
          .where('company_id', '=', companyId)
          .where(
            inIds(
              db,
              'schedule_id',
              scheduled.map((s) => s.id),
            ),
          )
          .execute();
  const instalmentsOf = groupBy(
    instalmentRows,
    (r) => r.schedule_id,
    (r) => ({ seq: r.seq, dueDate: r.due_date, amount: r.amount }),
  );
  const reminded = new Set(
    (scheduled.length === 0
      ? []
      : await db
          .selectFrom('instalment_reminders')
          .select(['schedule_id', 'seq'])
          .where('company_id', '=', companyId)
          .where(
            inIds(
              db,
              'schedule_id',
              scheduled.map((s) => s.id),
            ),
          )
          .execute()
    ).map((r) => `${r.schedule_id}:${r.seq}`),
  );
  const instalmentPlan = dueInstalments(
    scheduled.map((s) => ({
      scheduleId: s.id,
      invoiceId: s.invoice_id,
      number: s.number,
      customerId: s.customer_id,
      total: s.total,
      allocated: s.allocated,
      instalments: instalmentsOf.get(s.id) ?? [],
    })),
    reminded,
    date,
  );

  const customers = new Map(
    (
      await db
        .selectFrom('customers')
        .select(['id', 'code'])
        .where('company_id', '=', companyId)
        .where('id', 'in', [
          ...new Set([...quotePlan.map((q) => q.customerId), ...instalmentPlan.map((i) => i.customerId), companyId]),
        ])
        .execute()
    ).map((c) => [c.id, c.code]),
  );
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
          await trx
            .insertInto('quote_reminders')
            .values(
              group.map((q) => ({
                company_id: companyId,
                id: newId(),
                quote_id: q.quoteId,
                level,
                sent_on: date,
                outbox_id: message!.id,
                created_at: nowIso(),
              })),
            )
            .execute();
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
          await trx
            .insertInto('instalment_reminders')
            .values({
              company_id: companyId,
              id: newId(),
              schedule_id: due.scheduleId,
              seq: due.seq,
              sent_on: date,
              outbox_id: message!.id,
              created_at: nowIso(),
            })
            .execute();
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

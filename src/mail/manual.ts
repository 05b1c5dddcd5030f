import { companyLanguage } from '../domain/ledger.ts';
import { loadMessageContext } from '../communications/load-context.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import { assertSendingIdentity, offersTransfer } from '../communications/sending-identity.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { recordCommunication } from '../storage/dunning.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { listOutbox, reminderKey, type OutboxMessage } from '../storage/outbox.ts';
import { getTemplate, renderMessage, templateKeyForStep } from '../templates/index.ts';
import { appendBlock, upcomingBlocks } from '../communications/upcoming-block.ts';
import type { TemplateKey } from '../templates/keys.ts';
import type { AttachmentRef } from './attachments.ts';
import { attachmentRefs } from './compose.ts';
import { getMailSettings, messageIdDomain, noSmtpMessage, parseAddressList, smtpUrlOf } from './settings.ts';
import { replyToFor } from '../replies/reply-address.ts';
import { customerPolicy, manualLevels } from './manual-levels.ts';
import { renderTyped, textToHtml } from './typed-text.ts';

export type ManualReminderOptions = {
  customerId: string;
  /** Among the customer's unpaid invoices. */
  invoiceIds: string[];
  /** Default: the customer's billing contacts. */
  to?: string[];
  /** Default: the company's CC / BCC settings. */
  cc?: string[];
  bcc?: string[];
  /** Default: the level's template, rendered for these invoices. */
  subject?: string;
  /** Plain text typed by the person; default: the level's template. */
  message?: string;
  /** The template of the subject, message and letter when not typed; default: the level's (templateKeyForStep). */
  template?: TemplateKey;
  /** The reminder letter and the invoices' PDFs are attached unless turned off; files are added as they are. */
  attachments?: {
    letter?: boolean;
    invoices?: boolean;
    statement?: boolean;
    files?: { filename: string; contentType: string; content: Buffer }[];
  };
  date?: IsoDate;
};

export type ManualReminder = { communicationId: string; level: number; message: OutboxMessage };

/**
 * A reminder a person sends by hand: chosen invoices, recipients, subject and message
 * (prefilled from the template of the level reached), attachments. It is recorded in the history like an
 * automatic one (a communication and one reminder per invoice, without a run) and queued in the same
 * transaction; each invoice moves to its next level, so the automatic ladder continues from there.
 */
export async function sendManualReminder(
  db: Db,
  companyId: string,
  options: ManualReminderOptions,
): Promise<ManualReminder> {
  if (options.invoiceIds.length === 0)
    throw new AppError('invalid_input', 'Choose at least one invoice to remind.', [], {
      key: 'problem.mail.chooseInvoice',
    });
  const company = await getCompany(db, companyId);
  const date = options.date ?? todayIn(company.timeZone);
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'customer_id', 'currency', 'due_date', 'updated_at'])
    .where('company_id', '=', companyId)
    .where('id', 'in', options.invoiceIds)
    .where(isOpenInvoice())
    .where('disputed', '=', 0)
    .execute();
  for (const id of options.invoiceIds) {
    const row = rows.find((r) => r.id === id);
    if (!row)
      throw new AppError('invalid_input', `Invoice ${id} is not an unpaid, undisputed invoice of this company.`, [], {
        key: 'problem.mail.notRemindable',
        params: { id },
      });
    if (row.customer_id !== options.customerId)
      throw new AppError('invalid_input', `Invoice ${row.number} belongs to another customer.`, [], {
        key: 'ledger.otherCustomer',
        params: { invoice: row.number },
      });
  }
  if (new Set(rows.map((r) => r.currency)).size > 1) {
    throw new AppError('invalid_input', 'The invoices of one reminder must share a currency.', [], {
      key: 'problem.mail.oneCurrency',
    });
  }
  const history = await db
    .selectFrom('reminders')
    .select(['invoice_id', 'level', 'sent_on', 'state'])
    .where('company_id', '=', companyId)
    .where('invoice_id', 'in', options.invoiceIds)
    .where('state', '<>', 'cancelled')
    .execute();
  // As for runs, one escalation a day: a second click on "send" must not jump an invoice to the next level.
  const today = history.find((h) => h.sent_on === date);
  if (today) {
    const number = rows.find((r) => r.id === today.invoice_id)!.number;
    const policy = await customerPolicy(db, companyId, options.customerId);
    const step = policy.steps[today.level - 1]?.label ?? String(today.level);
    throw new AppError('conflict', `Invoice ${number} was already reminded on ${date} (level ${today.level}).`, [], {
      key: 'conflicts.alreadyReminded',
      params: { invoice: number, date, step },
    });
  }
  // A reminder still waiting in the outbox holds its invoice: a second one would demand the same level twice.
  const waiting = history.find((h) => h.state === 'pending');
  if (waiting && options.template !== 'standard') {
    const number = rows.find((r) => r.id === waiting.invoice_id)!.number;
    throw new AppError('conflict', `A reminder of invoice ${number} is still waiting to be sent.`, [], {
      key: 'conflicts.awaitingDispatch',
      params: { invoice: number },
    });
  }
  const language = companyLanguage(company);
  // "Standard" is the first sending of invoices, not a reminder: a communication without a level, no
  // reminder recorded, no reminder letter.
  const standard = options.template === 'standard';
  const { policy, levels, level, demanded, upcoming } = standard
    ? {
        policy: null,
        levels: new Map<string, number>(),
        level: 0,
        demanded: rows.map((r) => r.id),
        upcoming: [] as string[],
      }
    : await manualLevels(db, companyId, { customerId: options.customerId, invoices: rows, history, date });

  const [context, settings] = await Promise.all([
    loadMessageContext(db, companyId, {
      customerId: options.customerId,
      invoiceIds: demanded,
      upcomingIds: upcoming,
      level,
      date,
    }),
    getMailSettings(db, companyId),
  ]);
  // A manual reminder is an e-mail: without a server it could not leave, so it is not recorded as sent.
  if (smtpUrlOf(settings) === null || settings.problem)
    throw new AppError('conflict', noSmtpMessage(language), [], { key: 'mail.noSmtp' });
  await withPortalUrls(db, companyId, [context]);
  const template = await getTemplate(
    db,
    companyId,
    options.template ?? templateKeyForStep(policy!, level),
    context.language,
  );
  const rendered = renderMessage(template, context, { strict: true });
  const subject =
    options.subject === undefined
      ? rendered.subject
      : renderTyped(options.subject, 'subject', context)
          .replace(/[ \t]*[\r\n\v\f\u0085\u2028\u2029]+[ \t]*/g, ' ')
          .trim();
  const typed = options.message === undefined ? null : renderTyped(options.message, 'message', context);
  const body = appendBlock(
    typed === null
      ? { text: rendered.text, html: rendered.html }
      : { text: typed, html: textToHtml(typed, context.language) },
    upcomingBlocks(context),
  );
  const to = options.to ?? context.recipients;
  if (to.length === 0)
    throw new AppError('invalid_input', `Customer ${context.customer.code} has no e-mail address; give one (to).`, [], {
      key: 'problem.mail.noEmail',
      params: { customer: context.customer.code },
    });
  for (const [field, list] of [
    ['to', to],
    ['cc', options.cc ?? []],
    ['bcc', options.bcc ?? []],
  ] as const) {
    for (const address of list) parseAddressList(address, field);
  }
  await assertSendingIdentity(
    db,
    companyId,
    { letter: false, email: true, transfer: offersTransfer(body.text) },
    settings,
  );
  const files: AttachmentRef[] = (options.attachments?.files ?? []).map((f) => ({
    kind: 'file',
    filename: f.filename,
    contentType: f.contentType,
    base64: f.content.toString('base64'),
  }));
  const idempotencyKey = standard ? `standard:${reminderKey(demanded, 0)}` : reminderKey(demanded, level);
  const outcome = await recordCommunication(db, companyId, {
    runId: null,
    customerId: options.customerId,
    currency: rows[0]!.currency,
    level,
    label: context.level.label,
    date,
    channels: ['email'],
    invoices: rows
      .filter((r) => levels.has(r.id))
      .map((r) => ({ invoiceId: r.id, level: levels.get(r.id)!, updatedAt: r.updated_at })),
    emails: [
      {
        kind: 'manual',
        idempotencyKey,
        customerId: options.customerId,
        to,
        cc: options.cc ?? settings.cc,
        bcc: options.bcc ?? settings.bcc,
        replyTo: (await replyToFor(db, companyId, settings))(options.customerId),
        subject,
        text: body.text,
        html: body.html,
        attachments: [
          ...attachmentRefs(
            context,
            rendered.letter,
            standard ? { ...options.attachments, letter: false } : options.attachments,
          ),
          ...files,
        ],
        messageIdDomain: messageIdDomain(settings),
      },
    ],
  });
  if (outcome.status === 'raced') {
    throw new AppError(
      'conflict',
      `These invoices were already reminded at level ${level}; refresh and choose again.`,
      [],
      { key: 'problem.mail.alreadyAtLevel', params: { level } },
    );
  }
  if (outcome.status === 'stale')
    throw new AppError('conflict', 'An invoice changed meanwhile (paid, disputed…); refresh and choose again.', [], {
      key: 'problem.mail.changed',
    });
  const [message] = await listOutbox(db, companyId, { communicationId: outcome.id, limit: 1 });
  return { communicationId: outcome.id, level, message: message! };
}

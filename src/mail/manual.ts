import { loadMessageContext } from '../communications/load-context.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import { assertSendingIdentity, offersTransfer } from '../communications/sending-identity.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { type Policy, policyFor } from '../domain/dunning/policy.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { recordCommunication } from '../storage/dunning.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { listOutbox, reminderKey, type OutboxMessage } from '../storage/outbox.ts';
import {
  getTemplate,
  renderMessage,
  renderTemplate,
  templateKeyForStep,
  templateScope,
  TemplateRenderError,
  TemplateSyntaxError,
} from '../templates/index.ts';
import { presentChoice } from '../domain/dunning/content.ts';
import type { MessageContext } from '../communications/message-context.ts';
import { appendBlock, upcomingBlocks } from '../communications/upcoming-block.ts';
import type { TemplateKey } from '../templates/keys.ts';
import type { AttachmentRef } from './attachments.ts';
import { attachmentRefs } from './compose.ts';
import { getMailSettings, messageIdDomain, noSmtpMessage, parseAddressList, smtpUrlOf } from './settings.ts';
import { replyToFor } from '../replies/reply-address.ts';

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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A typed message as HTML: escaped, paragraphs and line breaks kept. */
export function textToHtml(text: string, language: string): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"></head><body>${paragraphs.join('')}</body></html>`;
}

export type ManualLevels = {
  policy: Policy;
  levels: Map<string, number>;
  level: number;
  /** The invoices the message demands (all at `level`) and those only mentioned as not yet due. */
  demanded: string[];
  upcoming: string[];
};

/** The customer's own policy, else the company's default one. */
async function customerPolicy(db: Db, companyId: string, customerId: string): Promise<Policy> {
  const [policies, customer] = await Promise.all([
    loadPolicies(db, companyId),
    db
      .selectFrom('customers')
      .select('policy_id')
      .where('company_id', '=', companyId)
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow(),
  ]);
  return policyFor({ policyId: customer.policy_id }, policies);
}

/**
 * What a reminder sent by hand records (the composer's draft shows the same), by the content rules of
 * every message (presentChoice): the invoices past due at their next level under the customer's policy,
 * the ones not yet due only mentioned ("à échoir", no level). One message is one level, so choosing
 * invoices at two levels is refused with the levels named.
 */
export async function manualLevels(
  db: Db,
  companyId: string,
  options: {
    customerId: string;
    date: IsoDate;
    invoices: { id: string; number?: string; due_date: IsoDate }[];
    history: { invoice_id: string; level: number; sent_on: IsoDate; state?: string }[];
    /** A preselection (every open invoice of a customer) keeps the invoices of the most advanced level instead of refusing. */
    narrow?: boolean;
  },
): Promise<ManualLevels> {
  const policy = await customerPolicy(db, companyId, options.customerId);
  const chosen = options.invoices.map((i) => ({
    id: i.id,
    number: i.number ?? i.id,
    dueDate: i.due_date,
    reminders: options.history
      .filter((h) => h.invoice_id === i.id && h.state !== 'pending')
      .map((h) => ({ level: h.level, date: h.sent_on })),
  }));
  const { groups, upcoming } = presentChoice(policy, chosen, options.date);
  if (groups.length === 0)
    throw new AppError(
      'invalid_input',
      'None of these invoices is due yet: a reminder can only ask for invoices past their due date.',
      [],
      {
        key: 'problem.manual.noneDue',
      },
    );
  if (groups.length > 1 && options.narrow) groups.splice(0, groups.length - 1);
  if (groups.length > 1) {
    const label = (level: number) => policy.steps[level - 1]?.label ?? String(level);
    // The policy's own step labels and the invoice numbers: the same words in any language.
    const levels = groups
      .map((g) => `${label(g.level)} : ${g.ids.map((id) => chosen.find((c) => c.id === id)!.number).join(', ')}`)
      .join(' ; ');
    throw new AppError('invalid_input', `These invoices are at different reminder levels (${levels}).`, [], {
      key: 'problem.manual.severalLevels',
      params: { levels },
    });
  }
  const group = groups[0]!;
  const levels = new Map(group.ids.map((id) => [id, group.level]));
  return { policy, levels, level: group.level, demanded: group.ids, upcoming };
}

/**
 * A subject or message typed by a person goes through the same sandbox as the templates (`#REF#`,
 * `{{ totals.due }}`…), strictly: an unknown variable is refused before anything is recorded.
 */
export function renderTyped(source: string, field: 'subject' | 'message', context: MessageContext): string {
  try {
    return renderTemplate(source, 'text', templateScope(context), { strict: true });
  } catch (error) {
    if (!(error instanceof TemplateRenderError) && !(error instanceof TemplateSyntaxError)) throw error;
    const { issue } = error;
    const unknown = /undefined variable:?\s*([\w.[\]]+)/i.exec(issue.reason)?.[1];
    // Said by its reader from the catalogue: an unknown variable by name, anything else by the template's reason.
    const why: Pick<FieldIssue, 'code' | 'params'> = unknown
      ? { code: 'reason.unknownVariable', params: { name: unknown } }
      : { code: issue.code, params: issue.params };
    const reason = unknown ? `unknown variable "${unknown}"` : `unreadable template (${issue.reason})`;
    throw new AppError(
      'invalid_input',
      `In the ${field}, line ${issue.line}: ${reason}. Nothing was sent.`,
      [{ field, line: issue.line, reason, ...why }],
      { key: 'problem.manual.typed', params: { ...why.params, field, line: issue.line, why: why.code! } },
    );
  }
}

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
  const language = company.locale === 'en' ? 'en' : 'fr';
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

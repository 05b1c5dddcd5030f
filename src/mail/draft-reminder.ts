import { appendBlock, upcomingBlocks } from '../communications/upcoming-block.ts';
import { loadMessageContext } from '../communications/load-context.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { assertSees } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Viewer } from '../shared/viewer.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { customerInvoicesByIds, reminderRows } from '../storage/message-selection.ts';
import { templateKeyForStep, type TemplateKey } from '../templates/keys.ts';
import { renderMessage } from '../templates/render.ts';
import { getTemplate } from '../templates/stored.ts';
import { attachmentRefs } from './compose.ts';
import { manualLevels } from './manual-levels.ts';
import { getMailSettings } from './settings.ts';

export type DraftInput = {
  customerId: string;
  invoiceIds: string[];
  date?: IsoDate;
  /** Another template than the level's. */
  template?: TemplateKey;
  /** A preselection: invoices at several levels keep those of the most advanced one instead of being refused. */
  narrow?: boolean;
};

export type ReminderDraft = {
  level: number;
  label: string;
  template: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  message: string;
  html: string;
  upcoming: string[];
  invoiceIds: string[];
  attachments: string[];
};

/**
 * What the composer opens with for a customer's chosen invoices: the level the manual send will record, the
 * recipients, CC/BCC, subject and message from the level's template, and the attachments' names.
 */
export async function draftReminder(db: Db, who: Viewer, input: DraftInput): Promise<ReminderDraft> {
  const { customerId, invoiceIds } = input;
  const customer = await getCustomer(db, who.companyId, customerId);
  assertSees({ ...who, userId: null, name: '' }, customer, `customer with id ${customerId}`);
  const company = await getCompany(db, who.companyId);
  const date = input.date ?? todayIn(company.timeZone);
  const ids = invoiceIds.filter(isId);
  const owned = await customerInvoicesByIds(db, who.companyId, customer.id, ids);
  const missing = invoiceIds.find((id) => !owned.some((o) => o.id === id));
  if (missing)
    throw new AppError('not_found', `No invoice with id ${missing} for customer ${customer.code}.`, [], {
      key: 'problem.notFound.invoicesOfCustomer',
      params: { numbers: missing, customer: customer.code },
    });
  const history = await reminderRows(db, who.companyId, ids);
  // The level the manual send will record.
  // "Standard" (first sending) has no level: all chosen invoices, nothing recorded at a level (as sendManualReminder).
  const { policy, level, demanded, upcoming } =
    input.template === 'standard'
      ? { policy: null, level: 0, demanded: ids, upcoming: [] as string[] }
      : await manualLevels(db, who.companyId, {
          customerId: customer.id,
          invoices: owned,
          history,
          date,
          narrow: input.narrow,
        });
  const [context, settings] = await Promise.all([
    loadMessageContext(db, who.companyId, {
      customerId: customer.id,
      invoiceIds: demanded,
      upcomingIds: upcoming,
      level,
      date,
    }),
    getMailSettings(db, who.companyId),
  ]);
  const key = input.template ?? templateKeyForStep(policy!, level);
  const rendered = renderMessage(await getTemplate(db, who.companyId, key, context.language), context, {
    strict: true,
  });
  // The à échoir block is added at sending, after the message (typed or not): the preview shows it, the editable text does not.
  const preview = appendBlock({ text: rendered.text, html: rendered.html }, upcomingBlocks(context));
  return {
    level,
    label: context.level.label,
    template: key,
    to: context.recipients,
    cc: settings.cc,
    bcc: settings.bcc,
    subject: rendered.subject,
    message: rendered.text,
    html: preview.html ?? rendered.html,
    upcoming: (context.upcoming ?? []).map((i) => i.number),
    invoiceIds: [...demanded, ...upcoming],
    attachments: attachmentRefs(context, rendered.letter, level === 0 ? { letter: false } : {}).map((a) => a.filename),
  };
}

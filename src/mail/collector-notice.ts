import { companyLanguage } from '../domain/ledger.ts';
import type { TFunction } from 'i18next';
import { translator } from '../i18n/index.ts';
import { publicBaseUrl } from '../portal/portal-links.ts';
import { newId } from '../shared/ids.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { enqueueMessages } from '../storage/outbox.ts';
import { listMembers } from '../storage/users.ts';

export type NoticeKind = 'paid' | 'promise' | 'dispute' | 'schedule' | 'reply';

/** What a customer's answer is worth quoting in the notice, beyond that the collector opens the customer page. */
const QUOTE_LIMIT = 2000;

/**
 * Who hears of a customer's answer: the people whose représentant is the customer's (a viewer cannot act on it),
 * else the company's admins.
 */
async function collectorsOf(db: Db, companyId: string, salesRep: string | null): Promise<string[]> {
  const members = await listMembers(db, companyId);
  const own = salesRep === null ? [] : members.filter((m) => m.salesRep === salesRep && m.role !== 'viewer');
  const chosen = own.length > 0 ? own : members.filter((m) => m.role === 'admin');
  return [...new Set(chosen.map((m) => m.email))];
}

/**
 * Queues an e-mail to the customer's collector telling what the customer did (an action on the payment page, or a
 * real answer to a message), with the address of the customer page. Queued in the caller's transaction: it leaves
 * once if the action was recorded, never if it was not. Nothing is queued when the company turned these notices
 * off or has nobody to tell. In the company's language, the one the workspace and the timeline speak: the server
 * does not know a person's own.
 */
export async function queueCollectorNotice(
  db: Db,
  input: {
    companyId: string;
    customerId: string;
    kind: NoticeKind;
    /** What happened, in the company's language (given its catalogue). */
    summary: (t: TFunction) => string;
    /** The customer's own words, quoted after the summary. */
    quote?: string;
    /** Makes the notice of one event unique, so the event recorded twice is told once. */
    eventId?: string;
  },
): Promise<boolean> {
  const company = await getCompany(db, input.companyId);
  if (company.notifyAnswers === false) return false;
  const customer = await getCustomer(db, input.companyId, input.customerId);
  const to = await collectorsOf(db, input.companyId, customer.salesRep);
  if (to.length === 0) return false;
  const t = translator(companyLanguage(company));
  const who = { customer: customer.name, code: customer.code };
  const base = publicBaseUrl();
  const quote = input.quote?.trim()
    ? `\n\n${t('portal.notice.quote')}\n${input.quote.trim().slice(0, QUOTE_LIMIT).replace(/^/gm, '> ')}`
    : '';
  const link = base
    ? t('portal.notice.link', { url: `${base}/customers/${customer.id}` })
    : t('portal.notice.noLink', who);
  await enqueueMessages(db, input.companyId, [
    {
      kind: 'manual',
      idempotencyKey: `collector-notice:${input.eventId ?? newId()}`,
      // Not a message to the customer: kept off its history, and a bounce never marks its contacts.
      customerId: null,
      to,
      subject: t(`portal.notice.subject.${input.kind}`, { ...who, company: company.legalName }),
      text: `${t('portal.notice.hello')}\n\n${input.summary(t)}${quote}\n\n${link}\n\n${t('portal.notice.signature')}\n`,
    },
  ]);
  return true;
}

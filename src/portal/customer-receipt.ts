import type { Language } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { newId } from '../shared/ids.ts';
import { listContacts } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { enqueueMessages } from '../storage/outbox.ts';
import { getMailSettings } from '../mail/settings.ts';
import { replyToFor } from '../replies/reply-address.ts';
import { portalUrl, portalUrlsFor, publicBaseUrl } from './portal-links.ts';

/**
 * Queues an e-mail to the customer's billing addresses (those that have not bounced), in their language: the receipt
 * of an answer given on the page, or the collector's decision on it. Queued in the caller's transaction, so it leaves
 * only if the answer was recorded. Nothing is queued for a customer without an address.
 */
export async function queueCustomerMail(
  db: Db,
  input: {
    companyId: string;
    companyName: string;
    customerId: string;
    language: Language;
    body: string;
    token?: string;
  },
): Promise<boolean> {
  const contacts = await listContacts(db, input.companyId, input.customerId);
  const to = [...new Set(contacts.filter((c) => c.email?.trim() && !c.emailBouncedAt).map((c) => c.email!.trim()))];
  if (to.length === 0) return false;
  const t = translator(input.language);
  const base = publicBaseUrl();
  // The page the customer came from, else (a collector's decision) the customer's live link, as a reminder has it.
  const url =
    base === null
      ? null
      : input.token
        ? portalUrl(base, input.token)
        : ((await portalUrlsFor(db, input.companyId, [input.customerId], base)).get(input.customerId) ?? null);
  const link = url ? `\n\n${t('portal.receipt.link', { url })}` : '';
  // An answer to it reaches the customer's timeline, like an answer to a reminder.
  const replyTo = (await replyToFor(db, input.companyId, await getMailSettings(db, input.companyId)))(input.customerId);
  await enqueueMessages(db, input.companyId, [
    {
      kind: 'manual',
      idempotencyKey: `portal-receipt:${newId()}`,
      customerId: input.customerId,
      to,
      replyTo,
      subject: t('portal.receipt.subject', { company: input.companyName }),
      text: `${t('portal.receipt.hello')}\n\n${input.body}${link}\n\n${t('portal.receipt.signature', { company: input.companyName })}\n`,
    },
  ]);
  return true;
}

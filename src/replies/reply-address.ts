import type { MailSettings } from '../mail/settings.ts';
import type { Db } from '../storage/database.ts';
import { companiesReplyingAt } from '../storage/customer-replies.ts';
import { signingKey } from '../storage/secrets.ts';
import { customerOfTag, replyTag, splitTagged, taggedAddress } from './reply-tag.ts';

export const REPLY_TAG_PURPOSE = 'reply-tag';

/**
 * The Reply-To of a customer's reminders: the reply address tagged for that customer when one is set, else the
 * plain Reply-To setting (or none). Prepared once per batch: the signing key is read once.
 */
export async function replyToFor(
  db: Db,
  companyId: string,
  settings: MailSettings,
): Promise<(customerId: string) => string | null> {
  const address = settings.replyAddress;
  if (!address) return () => settings.replyTo;
  const key = await signingKey(db, REPLY_TAG_PURPOSE);
  return (customerId) => taggedAddress(address, replyTag(key, companyId, customerId));
}

export type ReplyRecipient = { companyId: string; customerId: string; address: string };

/**
 * The company and customer a recipient of an inbound message stands for, or null when it is not a reply address
 * of ours or its tag is forged: the listener refuses such a recipient at RCPT time.
 */
export async function resolveReplyRecipient(db: Db, recipient: string): Promise<ReplyRecipient | null> {
  const split = splitTagged(recipient);
  if (!split) return null;
  const companies = await companiesReplyingAt(db, split.base);
  if (companies.length === 0) return null;
  const key = await signingKey(db, REPLY_TAG_PURPOSE);
  for (const companyId of companies) {
    const customerId = customerOfTag(key, companyId, split.tag);
    if (customerId) return { companyId, customerId, address: recipient.toLowerCase() };
  }
  return null;
}

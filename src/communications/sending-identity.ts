import { identityGaps, identityRefusal, type SendingNeeds } from '../domain/identity.ts';
import { translator } from '../i18n/index.ts';
import { configuredSender, getMailSettings, type MailSettings } from '../mail/settings.ts';
import { AppError, type MessageText } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';

/** A text that asks to pay by bank transfer: then the IBAN must be there to pay with. */
export function offersTransfer(text: string): boolean {
  return /virement|bank transfer|\bIBAN\b/i.test(text);
}

/**
 * Why a reminder may not leave yet, as a catalogue text (`outbox.identity.*`) each reader hears in their own
 * language, or null when the company's identity has what the send needs (src/domain/identity.ts). Runs, the
 * composer and the outbox dispatch all ask here; `fragment` gives the clause a stopped dispatch reports.
 */
export async function sendingIdentityRefusal(
  db: Db,
  companyId: string,
  needs: SendingNeeds,
  settings?: MailSettings,
  fragment = false,
): Promise<MessageText | null> {
  if (!needs.letter && !needs.email && !needs.transfer) return null;
  const company = await getCompany(db, companyId);
  const sender = needs.email ? configuredSender(settings ?? (await getMailSettings(db, companyId))) : null;
  const gaps = identityGaps(company, sender, needs);
  return gaps.length === 0 ? null : identityRefusal(gaps, fragment);
}

/** The same, as the refusal a run or a manual reminder raises before recording anything. */
export async function assertSendingIdentity(
  db: Db,
  companyId: string,
  needs: SendingNeeds,
  settings?: MailSettings,
): Promise<void> {
  const refusal = await sendingIdentityRefusal(db, companyId, needs, settings);
  if (!refusal) return;
  // `message` and the issue's `reason` are for logs and API clients that do not translate: English.
  const english = translator('en')(refusal.key, refusal.params);
  throw new AppError(
    'invalid_input',
    english,
    [{ field: 'company', reason: english, code: refusal.key, params: refusal.params ?? {} }],
    refusal,
  );
}

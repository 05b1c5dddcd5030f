import { describeIdentityGaps, identityGaps, type SendingNeeds } from '../domain/identity.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { configuredSender, getMailSettings, type MailSettings } from '../mail/settings.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';

/** A text that asks to pay by bank transfer: then the IBAN must be there to pay with. */
export function offersTransfer(text: string): boolean {
  return /virement|bank transfer|\bIBAN\b/i.test(text);
}

/**
 * Why a reminder may not leave yet, in the company's language, or null when its identity has what the
 * send needs (src/domain/identity.ts). Runs, the composer and the outbox dispatch all ask here.
 */
export async function sendingIdentityRefusal(
  db: Db,
  companyId: string,
  needs: SendingNeeds,
  settings?: MailSettings,
): Promise<string | null> {
  if (!needs.letter && !needs.email && !needs.transfer) return null;
  const company = await getCompany(db, companyId);
  const sender = needs.email ? configuredSender(settings ?? (await getMailSettings(db, companyId))) : null;
  const gaps = identityGaps(company, sender, needs);
  return gaps.length === 0 ? null : describeIdentityGaps(gaps, companyLanguage(company));
}

/** The same, as the refusal a run or a manual reminder raises before recording anything. */
export async function assertSendingIdentity(
  db: Db,
  companyId: string,
  needs: SendingNeeds,
  settings?: MailSettings,
): Promise<void> {
  const refusal = await sendingIdentityRefusal(db, companyId, needs, settings);
  if (refusal)
    throw new AppError(
      'invalid_input',
      refusal,
      [{ field: 'company', reason: refusal, code: 'problem.asWritten', params: { text: refusal } }],
      {
        key: 'problem.asWritten',
        params: { text: refusal },
      },
    );
}

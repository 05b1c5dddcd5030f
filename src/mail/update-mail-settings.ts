import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import {
  getMailSettings,
  redactSmtpUrl,
  saveMailSettings,
  type MailSettings,
  type MailSettingsPatch,
} from './settings.ts';

/**
 * A form sends back the masked URL it was shown: when only the password is masked and the rest is
 * unchanged, the stored password is kept rather than replaced by three stars.
 */
function unmask(sent: string | null | undefined, stored: string | null): string | null | undefined {
  if (!sent || !stored || !sent.includes(':***@')) return sent;
  if (redactSmtpUrl(stored) === sent) return stored;
  throw new AppError(
    'invalid_input',
    'smtpUrl: give the password again when changing the server or the user.',
    [{ field: 'body.smtpUrl', reason: 'masked password with a changed URL', code: 'reason.maskedPassword' }],
    { key: 'problem.mail.maskedPassword' },
  );
}

/** Changes the given e-mail settings, with an audit row naming what changed (never a password or a key). */
export async function updateMailSettings(db: Db, actor: Actor, patch: MailSettingsPatch): Promise<MailSettings> {
  return inTransaction(db, async (trx) => {
    const current = await getMailSettings(trx, actor.companyId);
    const result = await saveMailSettings(trx, actor.companyId, {
      ...patch,
      ...(patch.smtpUrl === undefined ? {} : { smtpUrl: unmask(patch.smtpUrl, current.smtpUrl) }),
    });
    await auditBy(trx, actor, 'mail.settings', null, {
      fields: Object.keys(patch),
      ...(result.smtpUrl ? { smtpUrl: redactSmtpUrl(result.smtpUrl) } : {}),
    });
    return result;
  });
}

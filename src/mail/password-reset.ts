import type { Db } from '../storage/database.ts';
import { listUserCompanies } from '../storage/users.ts';
import { getMailSettings, senderOf, smtpUrlOf, type MailSettings } from './settings.ts';
import { smtpMailer, type Mailer } from './transport.ts';

/**
 * The reset mail goes straight to SMTP, not through the outbox: the outbox keeps bodies in clear for
 * retries and display, and a reset token must not sit in a table. The server is the first of the
 * user's companies that has one, else RELANCE_SMTP_URL; 'no_smtp' lets the caller fall back to the log.
 *
 * The link is built from RELANCE_PUBLIC_URL, never from the request's Host header, which an attacker
 * could set to make the mail point at their own site.
 */
export async function mailPasswordReset(
  db: Db,
  reset: { userId: string; email: string; token: string },
  options: { publicUrl?: string | null; mailer?: Mailer } = {},
): Promise<'sent' | 'no_smtp'> {
  let settings: MailSettings | null = null;
  for (const membership of await listUserCompanies(db, reset.userId)) {
    const candidate = await getMailSettings(db, membership.companyId);
    if (candidate.smtpUrl) {
      settings = candidate;
      break;
    }
    settings ??= candidate;
  }
  settings ??= { smtpUrl: null, from: null, replyTo: null, replyAddress: null, cc: [], bcc: [], dkim: null };
  const url = smtpUrlOf(settings);
  if (!options.mailer && !url) return 'no_smtp';
  const base = (options.publicUrl ?? process.env.RELANCE_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  const link = base ? `${base}/reset-password?token=${encodeURIComponent(reset.token)}` : null;
  const how = (fr: boolean) =>
    link
      ? fr
        ? `Choisissez un nouveau mot de passe ici (lien valable une heure) :\n${link}`
        : `Choose a new password here (valid for one hour):\n${link}`
      : fr
        ? `Code de réinitialisation (valable une heure) : ${reset.token}`
        : `Reset code (valid for one hour): ${reset.token}`;
  const text =
    `Bonjour,\n\nUne réinitialisation du mot de passe de votre compte relance (${reset.email}) a été demandée.\n${how(true)}\n\n` +
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n\n---\n\n" +
    `Hello,\n\nA password reset was requested for your relance account (${reset.email}).\n${how(false)}\n\n` +
    'If you did not ask for it, ignore this message: your password stays as it is.\n';
  const mailer = options.mailer ?? smtpMailer(url!, { dkim: settings.dkim, maxConnections: 1 });
  try {
    await mailer.send({
      from: senderOf(settings),
      to: [reset.email],
      cc: [],
      bcc: [],
      replyTo: null,
      subject: 'relance : réinitialisation du mot de passe / password reset',
      text,
      html: null,
      messageId: `<reset.${Date.now()}.${reset.userId}@relance.local>`,
      attachments: [],
    });
  } finally {
    if (!options.mailer) mailer.close();
  }
  return 'sent';
}

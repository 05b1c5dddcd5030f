import type { Db } from '../storage/database.ts';
import { getMailSettings, senderOf, smtpUrlOf } from './settings.ts';
import { smtpMailer, type Mailer } from './transport.ts';

const ROLE_WORDS = {
  fr: { admin: 'administrateur', collector: 'recouvrement', viewer: 'lecture seule' },
  en: { admin: 'administrator', collector: 'collector', viewer: 'read only' },
} as const;

/**
 * Tells an existing account that a company invites it, with the address of the screen where it accepts or
 * declines; nothing changes for the account until it answers. Sent straight through the inviting company's SMTP
 * server (else RELANCE_SMTP_URL), in French and English like the password reset; 'no_smtp' when there is none.
 * The link is built from RELANCE_PUBLIC_URL, never from the request's Host header.
 */
export async function mailInvitation(
  db: Db,
  companyId: string,
  invitation: {
    email: string;
    legalName: string;
    role: 'admin' | 'collector' | 'viewer';
    invitedBy: string;
  },
  options: { publicUrl?: string | null; mailer?: Mailer } = {},
): Promise<'sent' | 'no_smtp'> {
  const settings = await getMailSettings(db, companyId);
  const url = smtpUrlOf(settings);
  if (!options.mailer && !url) return 'no_smtp';
  const base = (options.publicUrl ?? process.env.RELANCE_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  const where = (fr: boolean) =>
    base
      ? fr
        ? `Pour accepter ou refuser : ${base}/invitations`
        : `To accept or decline: ${base}/invitations`
      : fr
        ? 'Pour accepter ou refuser, connectez-vous à relance et ouvrez « Invitations » dans le menu.'
        : 'To accept or decline, log in to relance and open "Invitations" in the menu.';
  const { email, legalName, role, invitedBy } = invitation;
  const text =
    `Bonjour,\n\n${invitedBy} vous invite à rejoindre ${legalName} dans relance avec votre compte (${email}), ` +
    `rôle : ${ROLE_WORDS.fr[role]}. Vous n'en devenez membre qu'en acceptant.\n${where(true)}\n\n---\n\n` +
    `Hello,\n\n${invitedBy} invites you to join ${legalName} in relance with your account (${email}), ` +
    `role: ${ROLE_WORDS.en[role]}. You become a member only by accepting.\n${where(false)}\n`;
  const mailer = options.mailer ?? smtpMailer(url!, { dkim: settings.dkim, maxConnections: 1 });
  try {
    await mailer.send({
      from: senderOf(settings),
      to: [email],
      cc: [],
      bcc: [],
      replyTo: null,
      subject: `relance : invitation à rejoindre ${legalName} / invitation to join ${legalName}`,
      text,
      html: null,
      messageId: `<invitation.${Date.now()}.${companyId}@relance.local>`,
      attachments: [],
    });
  } finally {
    if (!options.mailer) mailer.close();
  }
  return 'sent';
}

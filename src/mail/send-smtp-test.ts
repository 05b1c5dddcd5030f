import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { auditBy } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { getMailSettings, senderOf, singleAddress, smtpUrlOf } from './settings.ts';
import { classifyFailure, smtpMailer } from './transport.ts';

export type SmtpTestResult = { sent: true; server: string; response: string; rejected: string[] };

/**
 * "Send a test": one e-mail straight through the configured SMTP server (nothing is queued), audited once the server
 * accepted it; the server's refusal comes back as the error.
 */
export async function sendSmtpTest(db: Db, actor: Actor, input: { to: string }): Promise<SmtpTestResult> {
  const companyId = actor.companyId;
  const to = singleAddress(input.to);
  if (!to)
    throw new AppError(
      'invalid_input',
      `to: "${input.to}" is not an e-mail address.`,
      [{ field: 'body.to', reason: 'not an address', code: 'reason.notEmail' }],
      { key: 'problem.notEmail', params: { value: input.to } },
    );
  const settings = await getMailSettings(db, companyId);
  const url = smtpUrlOf(settings);
  if (!url)
    throw new AppError('conflict', 'No SMTP server is configured: set smtpUrl (or RELANCE_SMTP_URL) first.', [], {
      key: 'problem.mail.noSmtpConfigured',
    });
  const company = await getCompany(db, companyId);
  const mailer = smtpMailer(url, { dkim: settings.dkim, maxConnections: 1 });
  try {
    const outcome = await mailer.send({
      from: senderOf(settings),
      to: [to],
      cc: [],
      bcc: [],
      replyTo: settings.replyTo,
      subject: `relance : e-mail de test / test e-mail — ${company.legalName}`,
      text:
        `Ce message confirme que relance peut envoyer des e-mails par ${mailer.description}.\n\n` +
        `This message confirms that relance can send e-mail through ${mailer.description}.\n`,
      html: null,
      messageId: `<test.${Date.now()}.${companyId}@relance.local>`,
      attachments: [],
    });
    await auditBy(db, actor, 'mail.test', to, { server: mailer.description });
    return { sent: true, server: mailer.description, response: outcome.response, rejected: outcome.rejected };
  } catch (error) {
    const failure = classifyFailure(error);
    const server = mailer.description;
    // A common cause is said from the catalogue; another one with the server's own words.
    const why = failure.why ?? (failure.code === 'loginRefused' || failure.code === 'notSmtp' ? failure.code : null);
    throw new AppError(
      failure.kind === 'configuration' ? 'invalid_input' : 'unavailable',
      `The SMTP server ${server} refused the test: ${failure.message}`,
      [],
      why
        ? {
            key: 'problem.mail.testRefusedWhy',
            params: { server, why, status: failure.status ? ` (${failure.status})` : '' },
          }
        : { key: 'problem.mail.testRefused', params: { server, reason: failure.message } },
    );
  } finally {
    mailer.close();
  }
}

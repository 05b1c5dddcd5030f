import { z } from 'zod';
import {
  getMailSettings,
  MailSettingsPatchSchema,
  redactSmtpUrl,
  saveMailSettings,
  senderOf,
  singleAddress,
  smtpUrlOf,
  type MailSettings,
} from '../../mail/settings.ts';
import { classifyFailure, smtpMailer } from '../../mail/transport.ts';
import { AppError } from '../../shared/errors.ts';
import { getCompany } from '../../storage/companies.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { scopeOf } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import { problems } from '../schemas.ts';

const tags = ['mail'];

/**
 * What a client sees of the settings: the SMTP URL with its password masked, the DKIM key never (only
 * whether one is set). Where the server comes from tells an admin whether RELANCE_SMTP_URL applies.
 */
const MailSettingsOut = z.object({
  smtpUrl: z.string().nullable().describe("the company's SMTP URL, password masked as ***"),
  smtpSource: z.enum(['company', 'environment', 'none']),
  effectiveSmtp: z.string().nullable().describe('the server messages go through, password masked'),
  from: z.string().nullable(),
  effectiveFrom: z.string(),
  replyTo: z.string().nullable(),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  dkim: z.object({ domain: z.string(), selector: z.string(), privateKeySet: z.literal(true) }).nullable(),
  problem: z
    .string()
    .nullable()
    .describe('a stored credential that cannot be decrypted (secret key changed): enter it again'),
});

function settingsOut(s: MailSettings): z.infer<typeof MailSettingsOut> {
  const effective = smtpUrlOf(s);
  return {
    smtpUrl: s.smtpUrl ? redactSmtpUrl(s.smtpUrl) : null,
    smtpSource: s.smtpUrl ? 'company' : effective ? 'environment' : 'none',
    effectiveSmtp: effective ? redactSmtpUrl(effective) : null,
    from: s.from,
    effectiveFrom: senderOf(s),
    replyTo: s.replyTo,
    cc: s.cc,
    bcc: s.bcc,
    dkim: s.dkim ? { domain: s.dkim.domain, selector: s.dkim.selector, privateKeySet: true } : null,
    problem: s.problem ?? null,
  };
}

/**
 * A form sends back the masked URL it was shown: when only the password is masked and the rest is
 * unchanged, the stored password is kept rather than replaced by three stars.
 */
function unmask(sent: string | null | undefined, stored: string | null): string | null | undefined {
  if (!sent || !stored || !sent.includes(':***@')) return sent;
  if (redactSmtpUrl(stored) === sent) return stored;
  throw new AppError('invalid_input', 'smtpUrl: give the password again when changing the server or the user.', [
    { field: 'body.smtpUrl', reason: 'masked password with a changed URL' },
  ]);
}

export function mailSettingsRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/mail/settings',
    {
      config: { access: 'mail.configure' },
      schema: {
        tags,
        summary: 'E-mail settings: SMTP server (password masked), sender, Reply-To, CC/BCC, DKIM (key never shown)',
        response: { 200: MailSettingsOut, ...problems },
      },
    },
    async (request) => settingsOut(await getMailSettings(api.db, scopeOf(request).companyId)),
  );

  api.patch(
    '/api/v1/mail/settings',
    {
      config: { access: 'mail.configure' },
      schema: {
        tags,
        summary:
          'Change the given e-mail settings (smtpUrl as smtp://user:password@host:587 or smtps://…:465; null clears)',
        body: MailSettingsPatchSchema,
        response: { 200: MailSettingsOut, ...problems },
      },
    },
    async (request) => {
      const companyId = scopeOf(request).companyId;
      const saved = await inTransaction(api.db, async (trx) => {
        const current = await getMailSettings(trx, companyId);
        const patch = {
          ...request.body,
          ...(request.body.smtpUrl === undefined ? {} : { smtpUrl: unmask(request.body.smtpUrl, current.smtpUrl) }),
        };
        const result = await saveMailSettings(trx, companyId, patch);
        // The audit names what changed, never a password or a key.
        await audit(request, trx, 'mail.settings', null, {
          fields: Object.keys(request.body),
          ...(result.smtpUrl ? { smtpUrl: redactSmtpUrl(result.smtpUrl) } : {}),
        });
        return result;
      });
      return settingsOut(saved);
    },
  );

  api.post(
    '/api/v1/mail/test',
    {
      config: { access: 'mail.configure' },
      schema: {
        tags,
        summary:
          '"Send a test": one e-mail straight through the configured SMTP server, answering with the server\'s ' +
          'reply or its error (nothing is queued)',
        body: z.object({ to: z.string().min(3).max(320) }),
        response: {
          200: z.object({
            sent: z.literal(true),
            server: z.string(),
            response: z.string(),
            rejected: z.array(z.string()),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const companyId = scopeOf(request).companyId;
      const to = singleAddress(request.body.to);
      if (!to)
        throw new AppError('invalid_input', `to: "${request.body.to}" is not an e-mail address.`, [
          { field: 'body.to', reason: 'not an address' },
        ]);
      const settings = await getMailSettings(api.db, companyId);
      const url = smtpUrlOf(settings);
      if (!url)
        throw new AppError('conflict', 'No SMTP server is configured: set smtpUrl (or RELANCE_SMTP_URL) first.');
      const company = await getCompany(api.db, companyId);
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
        await audit(request, api.db, 'mail.test', to, { server: mailer.description });
        return {
          sent: true as const,
          server: mailer.description,
          response: outcome.response,
          rejected: outcome.rejected,
        };
      } catch (error) {
        const failure = classifyFailure(error);
        throw new AppError(
          failure.kind === 'configuration' ? 'invalid_input' : 'unavailable',
          `The SMTP server ${mailer.description} refused the test: ${failure.message}`,
        );
      } finally {
        mailer.close();
      }
    },
  );
}

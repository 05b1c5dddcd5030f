import { z } from 'zod';
import { sendSmtpTest } from '../../mail/send-smtp-test.ts';
import {
  getMailSettings,
  MailSettingsPatchSchema,
  redactSmtpUrl,
  senderOf,
  smtpUrlOf,
  type MailSettings,
} from '../../mail/settings.ts';
import { updateMailSettings } from '../../mail/update-mail-settings.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
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
  replyAddress: z
    .string()
    .nullable()
    .describe("the reply listener's address; reminders answer to it, tagged per customer, instead of replyTo"),
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
    replyAddress: s.replyAddress,
    cc: s.cc,
    bcc: s.bcc,
    dkim: s.dkim ? { domain: s.dkim.domain, selector: s.dkim.selector, privateKeySet: true } : null,
    problem: s.problem ?? null,
  };
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
    async (request) => settingsOut(await updateMailSettings(api.db, actorOf(request), request.body)),
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
    async (request) => sendSmtpTest(api.db, actorOf(request), request.body),
  );
}

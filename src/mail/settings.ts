import { translator } from '../i18n/index.ts';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { zodIssueReason } from '../shared/validation-reason.ts';
import { AppError } from '../shared/errors.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { openSecret, sealSecret } from '../storage/secrets.ts';
import type { MailSettingsRow } from '../storage/schema.ts';

/**
 * A company's e-mail settings. The SMTP URL (`smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's
 * query options such as `?tls.rejectUnauthorized=false` are accepted) falls back to RELANCE_SMTP_URL.
 * CC and BCC are added to every reminder; Reply-To points answers at a person rather than the sender.
 */
export type MailSettings = {
  smtpUrl: string | null;
  from: string | null;
  replyTo: string | null;
  /**
   * The address relance's reply listener receives (`reponses@domain`): when set, each reminder's Reply-To is
   * `reponses+<tag>@domain`, the tag naming the company and customer under an HMAC, and supersedes `replyTo`.
   */
  replyAddress: string | null;
  cc: string[];
  bcc: string[];
  dkim: { domain: string; selector: string; privateKey: string } | null;
  /** Why a stored credential could not be read (see src/storage/secrets.ts); it then counts as not set. */
  problem?: string;
  /** The sender of the company's identity ("Name <address>"), used when `from` is not set. */
  companySender?: string | null;
};

export const MailSettingsPatchSchema = z.strictObject({
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .nullable()
    .optional(),
  from: z.string().nullable().optional(),
  replyTo: z.string().nullable().optional(),
  replyAddress: z.string().nullable().optional(),
  cc: z.array(z.string()).optional(),
  bcc: z.array(z.string()).optional(),
  dkim: z
    .strictObject({
      domain: z.string().min(1),
      selector: z.string().min(1),
      privateKey: z.string().includes('PRIVATE KEY'),
    })
    .nullable()
    .optional(),
});
export type MailSettingsPatch = z.infer<typeof MailSettingsPatchSchema>;

const EMPTY: MailSettings = {
  smtpUrl: null,
  from: null,
  replyTo: null,
  replyAddress: null,
  cc: [],
  bcc: [],
  dkim: null,
};

/** One bare address (`a@b.fr`), or null when the text is not exactly one address. */
export function singleAddress(text: string): string | null {
  // A line break or control character anywhere (display name included) could start a header of its own.
  if (/[\p{Cc}\u2028\u2029]/u.test(text)) return null;
  const parsed = addressparser(text.trim(), { flatten: true });
  if (parsed.length !== 1) return null;
  const address = parsed[0]!.address;
  return /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(address)
    ? address
    : null;
}

/** Splits `a@b.fr; c@d.fr` or `a@b.fr, c@d.fr` into addresses, naming the one that is not an address. */
export function parseAddressList(text: string, field: string): string[] {
  const parts = text
    .split(/[;,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const part of parts) {
    if (singleAddress(part) === null)
      throw new AppError('invalid_input', `${field}: "${part}" is not an e-mail address.`, [], {
        key: 'problem.fieldNotEmail',
        params: { field, value: part },
      });
  }
  return parts;
}

async function toSettings(db: Db, row: MailSettingsRow | undefined): Promise<MailSettings> {
  if (!row) return { ...EMPTY };
  const problems: string[] = [];
  const open = async (stored: string | null, what: string) => {
    if (stored === null) return null;
    const opened = await openSecret(db, stored);
    if (opened.value === null) problems.push(`${what}: ${opened.problem}`);
    return opened.value;
  };
  const smtpUrl = await open(row.smtp_url, 'the SMTP server URL');
  const privateKey = await open(row.dkim_private_key, 'the DKIM private key');
  return {
    smtpUrl,
    from: row.from_address,
    replyTo: row.reply_to,
    replyAddress: row.reply_address ?? null,
    cc: row.cc ? row.cc.split(',') : [],
    bcc: row.bcc ? row.bcc.split(',') : [],
    dkim:
      row.dkim_domain && row.dkim_selector && privateKey
        ? { domain: row.dkim_domain, selector: row.dkim_selector, privateKey }
        : null,
    ...(problems.length > 0 ? { problem: `${problems.join('; ')}.` } : {}),
  };
}

export async function getMailSettings(db: Db, companyId: string): Promise<MailSettings> {
  const row = await db.selectFrom('mail_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
  const company = await db
    .selectFrom('companies')
    .select(['sender_name', 'sender_email'])
    .where('id', '=', companyId)
    .executeTakeFirst();
  const settings = await toSettings(db, row);
  const email = company?.sender_email;
  if (email)
    settings.companySender = company.sender_name ? `"${company.sender_name.replace(/["\\]/g, '')}" <${email}>` : email;
  return settings;
}

/** Changes the given fields only. */
export async function saveMailSettings(db: Db, companyId: string, patch: MailSettingsPatch): Promise<MailSettings> {
  const parsed = MailSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || '(settings)',
      reason: i.message,
      ...zodIssueReason(i),
    }));
    throw new AppError('invalid_input', 'invalid mail settings', issues, {
      key: 'problem.mail.invalidSettings',
      params: { count: issues.length },
    });
  }
  const p = parsed.data;
  for (const [field, value] of [
    ['from', p.from],
    ['replyTo', p.replyTo],
    ['replyAddress', p.replyAddress],
  ] as const) {
    if (value && singleAddress(value) === null)
      throw new AppError('invalid_input', `${field}: "${value}" is not an e-mail address.`, [], {
        key: 'problem.fieldNotEmail',
        params: { field, value },
      });
  }
  for (const [field, list] of [
    ['cc', p.cc],
    ['bcc', p.bcc],
  ] as const) {
    for (const address of list ?? []) parseAddressList(address, field);
  }
  const { problem: _unreadable, ...current } = await getMailSettings(db, companyId);
  const merged = { ...current, ...p } as MailSettings;
  // Credentials are sealed on every save, so values written before encryption get sealed too.
  const row: MailSettingsRow = {
    company_id: companyId,
    smtp_url: merged.smtpUrl === null ? null : await sealSecret(db, merged.smtpUrl),
    from_address: merged.from,
    reply_to: merged.replyTo,
    reply_address: merged.replyAddress ?? null,
    cc: merged.cc.length ? merged.cc.join(',') : null,
    bcc: merged.bcc.length ? merged.bcc.join(',') : null,
    dkim_domain: merged.dkim?.domain ?? null,
    dkim_selector: merged.dkim?.selector ?? null,
    dkim_private_key: merged.dkim ? await sealSecret(db, merged.dkim.privateKey) : null,
    updated_at: nowIso(),
  };
  const { company_id: _key, ...values } = row;
  await db
    .insertInto('mail_settings')
    .values(row)
    .onConflict((oc) => oc.column('company_id').doUpdateSet(values))
    .execute();
  return merged;
}

/** The SMTP server to use: the company's own, else RELANCE_SMTP_URL; null means none is configured. */
export function smtpUrlOf(settings: MailSettings): string | null {
  return settings.smtpUrl ?? (process.env.RELANCE_SMTP_URL?.trim() || null);
}

/** The sender: the company's setting, else RELANCE_MAIL_FROM, else a placeholder the SMTP server may refuse. */
export function senderOf(settings: MailSettings): string {
  return configuredSender(settings) ?? 'relance@localhost';
}

/** The sender someone chose (mail settings, company identity, RELANCE_MAIL_FROM), or null when none did. */
export function configuredSender(settings: MailSettings): string | null {
  return settings.from ?? settings.companySender ?? (process.env.RELANCE_MAIL_FROM?.trim() || null);
}

/** The Message-ID domain: the sender's, so receivers see ids from the domain that sent them. */
export function messageIdDomain(settings: MailSettings): string {
  const address = singleAddress(senderOf(settings));
  return address?.split('@')[1] ?? 'relance.local';
}

/** For display: the URL without its password. */
export function redactSmtpUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** What a person is told before sending when no e-mail can leave, in their language. */
export function noSmtpMessage(language: 'fr' | 'en'): string {
  return translator(language)('mail.noSmtp');
}

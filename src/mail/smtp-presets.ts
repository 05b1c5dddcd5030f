import { AppError } from '../shared/errors.ts';

/** How the connection to the SMTP server is secured: TLS from the start (465), STARTTLS (587), or none (local relays). */
export type SmtpSecurity = 'tls' | 'starttls' | 'none';
export type SmtpFields = {
  host: string;
  port: number;
  security: SmtpSecurity;
  user?: string | null;
  password?: string | null;
};

/** The sending servers of common providers, so a user gives an address and a password, not a host and a port. */
export const SMTP_PRESETS: Record<string, { label: string; host: string; port: number; security: SmtpSecurity }> = {
  gmail: { label: 'Gmail / Google Workspace', host: 'smtp.gmail.com', port: 465, security: 'tls' },
  office365: { label: 'Microsoft 365 / Outlook', host: 'smtp.office365.com', port: 587, security: 'starttls' },
  ovh: { label: 'OVHcloud', host: 'ssl0.ovh.net', port: 465, security: 'tls' },
  ionos: { label: 'IONOS', host: 'smtp.ionos.fr', port: 465, security: 'tls' },
  orange: { label: 'Orange', host: 'smtp.orange.fr', port: 465, security: 'tls' },
  brevo: { label: 'Brevo (ex-Sendinblue)', host: 'smtp-relay.brevo.com', port: 587, security: 'starttls' },
  mailjet: { label: 'Mailjet', host: 'in-v3.mailjet.com', port: 587, security: 'starttls' },
  gandi: { label: 'Gandi', host: 'mail.gandi.net', port: 465, security: 'tls' },
};

/** The SMTP URL the mail settings store, from separate fields (user and password percent-encoded). */
export function smtpUrlFromFields(fields: SmtpFields): string {
  const host = fields.host.trim();
  if (!/^[a-z0-9.-]+$/i.test(host))
    throw new AppError(
      'invalid_input',
      `SMTP host "${fields.host}" is not a host name.`,
      [{ field: 'smtp.host', value: fields.host, reason: 'not a host name', code: 'reason.notHost' }],
      { key: 'problem.mail.smtpHost', params: { host: fields.host } },
    );
  if (!Number.isInteger(fields.port) || fields.port < 1 || fields.port > 65535) {
    throw new AppError(
      'invalid_input',
      `SMTP port ${fields.port} is not a port number.`,
      [{ field: 'smtp.port', reason: 'not a port', code: 'reason.notPort' }],
      { key: 'problem.mail.smtpPort', params: { port: fields.port } },
    );
  }
  const auth = fields.user
    ? `${encodeURIComponent(fields.user)}${fields.password ? `:${encodeURIComponent(fields.password)}` : ''}@`
    : '';
  const scheme = fields.security === 'tls' ? 'smtps' : 'smtp';
  // Without security nodemailer would still upgrade when offered; a local relay without TLS needs it said.
  const query =
    fields.security === 'none' ? '?ignoreTLS=true' : fields.security === 'starttls' ? '?requireTLS=true' : '';
  return `${scheme}://${auth}${host}:${fields.port}${query}`;
}

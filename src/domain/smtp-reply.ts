/**
 * What an SMTP server's refusal means for the person who reads the outbox (`outbox.smtp.*` in the catalogue):
 * the common cases by their enhanced status code (RFC 3463) or, without one, by their reply code (RFC 5321).
 * The server's own words are English or anything else; they stay in the message's log line for a specialist.
 */
export type SmtpWhy =
  | 'unknownUser'
  | 'unknownDomain'
  | 'mailboxFull'
  | 'tooBig'
  | 'policy'
  | 'temporary'
  | 'permanent'
  | 'connectionRefused'
  | 'timeout'
  | 'hostNotFound'
  | 'loginRefused'
  | 'notSmtp';

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

const BY_ENHANCED: [RegExp, SmtpWhy][] = [
  [/^\d\.1\.(1|3|6)$/, 'unknownUser'],
  [/^\d\.1\.(2|10)$|^\d\.4\.4$/, 'unknownDomain'],
  [/^\d\.2\.2$/, 'mailboxFull'],
  [/^\d\.(2\.3|3\.4)$/, 'tooBig'],
  [/^\d\.7\.\d+$/, 'policy'],
];

/** What a delivery status notification's status ("5.1.1") means, when it is a common cause; null for another. */
export function dsnStatusReason(status: string | null): SmtpWhy | null {
  const enhanced = status ? ENHANCED.exec(status) : null;
  return (enhanced && BY_ENHANCED.find(([pattern]) => pattern.test(enhanced[0]))?.[1]) || null;
}

/** The reply's codes as the server gave them ("550 5.1.1"), and what they mean. */
export function smtpReplyReason(responseCode: number, text: string): { why: SmtpWhy; status: string } {
  const enhanced = ENHANCED.exec(text);
  const status = enhanced ? `${responseCode} ${enhanced[0]}` : String(responseCode);
  const found = enhanced ? BY_ENHANCED.find(([pattern]) => pattern.test(enhanced[0]))?.[1] : undefined;
  if (found) return { why: found, status };
  if (responseCode === 552 || responseCode === 452) return { why: 'mailboxFull', status };
  if (responseCode === 550 && /user unknown|no such user|unknown user|does not exist/i.test(text))
    return { why: 'unknownUser', status };
  if (responseCode === 554) return { why: 'policy', status };
  return { why: responseCode >= 500 ? 'permanent' : 'temporary', status };
}

/** A failure to reach the server at all (no reply), when its cause is a common one; null for another. */
export function smtpNetworkReason(code: string | undefined, message: string): SmtpWhy | null {
  if (code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(message)) return 'hostNotFound';
  if (/ECONNREFUSED/.test(message)) return 'connectionRefused';
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timeout/i.test(message)) return 'timeout';
  return null;
}

/**
 * What a bounce's recorded reason ("5.1.1 550 5.1.1 <x@y.fr>: User unknown", the DSN's status then the receiving
 * server's words) means. A bounce is a refusal for good, so a cause that is not a common one is `permanent`.
 * Pure, so the web app says a flagged contact's reason from the same rules.
 */
export function bounceWhy(reason: string | null | undefined): SmtpWhy {
  const text = reason ?? '';
  const byStatus = dsnStatusReason(text);
  if (byStatus) return byStatus;
  const reply = /\b([45]\d\d)\b/.exec(text);
  const why = reply ? smtpReplyReason(Number(reply[1]), text).why : 'permanent';
  return why === 'temporary' ? 'permanent' : why;
}

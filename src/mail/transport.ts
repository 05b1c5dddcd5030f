import nodemailer from 'nodemailer';
import type { MailSettings } from './settings.ts';
import { redactSmtpUrl } from './settings.ts';
import { smtpNetworkReason, smtpReplyReason, type SmtpWhy } from '../domain/smtp-reply.ts';
import { resolveAllowed } from '../shared/outbound.ts';

/** One message ready to go: what the outbox row holds plus its attachments' bytes. */
export type OutgoingMail = {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
};

export type SendOutcome = { response: string; rejected: string[] };

export type Mailer = {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
  description: string;
  connections: number;
};

/** Carriage return, line feed or another control character: what would let a value start a header of its own. */
const HEADER_BREAK = /(?!\t)[\p{Cc}\u2028\u2029]/u;

/**
 * The last check before any header is built: an address or subject holding CR/LF (`r@x\r\nBcc: victim@…`)
 * would add headers of its own, so the message fails for good instead (nodemailer encodes, but the rule
 * must not depend on it).
 */
export function assertHeaderSafe(
  mail: Pick<OutgoingMail, 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'subject' | 'messageId'>,
): void {
  const fields: [string, string | null][] = [
    ['from', mail.from],
    ['reply-to', mail.replyTo],
    ['subject', mail.subject],
    ['message-id', mail.messageId],
    ...mail.to.map((a) => ['to', a] as [string, string]),
    ...mail.cc.map((a) => ['cc', a] as [string, string]),
    ...mail.bcc.map((a) => ['bcc', a] as [string, string]),
  ];
  for (const [field, value] of fields) {
    if (value !== null && HEADER_BREAK.test(value)) {
      throw Object.assign(
        new Error(`the ${field} header holds a line break or control character; the message is not sent`),
        { code: 'EHEADER' },
      );
    }
  }
}

function toNodemailer(mail: OutgoingMail) {
  assertHeaderSafe(mail);
  return {
    from: mail.from,
    to: mail.to,
    cc: mail.cc.length ? mail.cc : undefined,
    bcc: mail.bcc.length ? mail.bcc : undefined,
    replyTo: mail.replyTo ?? undefined,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: mail.messageId,
    attachments: mail.attachments,
  };
}

/** `socketTimeoutMs`: how long a silent server may hold a connection before the attempt fails (60 s). */
export type SmtpOptions = { maxConnections?: number; dkim?: MailSettings['dkim']; socketTimeoutMs?: number };

/**
 * A pooled nodemailer transport: connections stay open across messages, which is what makes hundreds
 * of messages a second possible. `maxRequeues: 0` because the pool would otherwise re-send a message
 * on its own when a connection drops mid-message, and only the dispatcher may decide to send again.
 */
export function smtpMailer(url: string, options: SmtpOptions = {}): Mailer {
  const connections = options.maxConnections ?? 5;
  // The server's name is resolved and checked once, when the first message goes, and the transport then
  // connects to that checked address (TLS still verifies the name): the SMTP URL cannot reach an internal
  // service, even by a name that later resolves elsewhere.
  let opened: Promise<ReturnType<typeof nodemailer.createTransport>> | null = null;
  const open = async () => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const address = await resolveAllowed(host);
    target.hostname = address.includes(':') ? `[${address}]` : address;
    return nodemailer.createTransport({
      url: target.toString(),
      servername: host,
      pool: true,
      maxConnections: connections,
      maxMessages: Infinity,
      maxRequeues: 0,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      ...(options.dkim
        ? {
            dkim: {
              domainName: options.dkim.domain,
              keySelector: options.dkim.selector,
              privateKey: options.dkim.privateKey,
            },
          }
        : {}),
    } as Parameters<typeof nodemailer.createTransport>[0]);
  };
  return {
    description: redactSmtpUrl(url),
    connections,
    async send(mail) {
      const message = toNodemailer(mail);
      const transport = await (opened ??= open());
      const info = await transport.sendMail(message);
      return {
        response: String(info.response ?? ''),
        rejected: (info.rejected ?? []).map((r: unknown) =>
          typeof r === 'string' ? r : (r as { address: string }).address,
        ),
      };
    },
    close: () => {
      void opened?.then(
        (transport) => transport.close(),
        () => undefined,
      );
    },
  };
}

/** The message as an RFC 5322 file, byte for byte what SMTP would carry (for the .eml fallback). */
export async function buildEml(mail: OutgoingMail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(toNodemailer(mail));
  return info.message as Buffer;
}

export type FailureKind = 'transient' | 'permanent' | 'configuration';

/** The catalogue code (`outbox.errors.*`) of a failure, so the outbox says it in its reader's language. */
export type FailureCode =
  'login' | 'loginRefused' | 'notSmtp' | 'refused' | 'rejected' | 'postponed' | 'unreachable' | 'network';

/** `why` (`outbox.smtp.*`) and `status` ("550 5.1.1") name a common cause; the server's own words stay in `message`. */
export type Failure = { kind: FailureKind; message: string; code: FailureCode; why?: SmtpWhy; status?: string };

/**
 * How to treat a failed send. 4xx replies and network trouble are transient (try again later);
 * 5xx replies are permanent for this message; a refused login or TLS setup is the configuration's
 * fault, not the message's, so the message keeps its attempts and the dispatch stops.
 */
export function classifyFailure(error: unknown): Failure {
  const e = error as { code?: string; responseCode?: number; message?: string; response?: string };
  const message = (e.message ?? String(error)).replace(/\s+/g, ' ').trim();
  if (e.code === 'EAUTH') return { kind: 'configuration', message, code: 'loginRefused' };
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS' || e.code === 'ECONFIG' || e.code === 'EBLOCKED') {
    return { kind: 'configuration', message, code: 'login' };
  }
  // What a service that is not an SMTP server says (an SSH or HTTP banner) is never shown: only that it is not one.
  if (e.code === 'EPROTOCOL' || /greeting/i.test(message)) {
    return { kind: 'transient', message: 'the server did not answer as an SMTP server', code: 'notSmtp' };
  }
  if (e.code === 'EHEADER') return { kind: 'permanent', message, code: 'refused' };
  if (typeof e.responseCode === 'number') {
    const { why, status } = smtpReplyReason(e.responseCode, `${e.response ?? ''} ${message}`);
    if (e.responseCode < 500) return { kind: 'transient', message, code: 'postponed', why, status };
    // A refusal without a known cause is said with the server's words: they are all there is to go on.
    if (why === 'permanent') return { kind: 'permanent', message, code: 'refused' };
    return { kind: 'permanent', message, code: 'rejected', why, status };
  }
  const why = smtpNetworkReason(e.code, message);
  return why
    ? { kind: 'transient', message, code: 'network', why }
    : { kind: 'transient', message, code: 'unreachable' };
}

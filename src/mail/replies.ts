import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { autoReplyReason } from '../domain/auto-reply.ts';
import { recordReply, type RecordedReply } from '../replies/record-reply.ts';
import { resolveReplyRecipient, type ReplyRecipient } from '../replies/reply-address.ts';
import { systemActor } from '../shared/actor.ts';
import { companiesReplyingAt, outboxByMessageId } from '../storage/customer-replies.ts';
import type { Db } from '../storage/database.ts';
import { companyOfMessageId } from '../storage/outbox.ts';

/** Limits of what one answer may bring: the whole message, its text kept, its attachments. */
export type ReplyLimits = { maxBytes: number; maxTextChars: number; maxAttachments: number };

export const DEFAULT_REPLY_LIMITS: ReplyLimits = {
  maxBytes: 15 * 1024 * 1024,
  maxTextChars: 100_000,
  maxAttachments: 20,
};

const OUR_MESSAGE_ID = /<[0-9a-f]{32}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[^>\s]+>/gi;

/** Where an accepted recipient leads: one customer (a tagged address), or a company's plain reply address. */
type Target = ReplyRecipient | { companyIds: string[]; address: string };

async function targetOf(db: Db, recipient: string): Promise<Target | null> {
  const tagged = await resolveReplyRecipient(db, recipient);
  if (tagged) return tagged;
  // The plain reply address (a tag lost by a mail program): accepted if the message names one of our messages.
  const companyIds = await companiesReplyingAt(db, recipient);
  return companyIds.length > 0 ? { companyIds, address: recipient.toLowerCase() } : null;
}

function headerMap(lines: readonly { key: string; line: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, line } of lines) {
    const at = line.indexOf(':');
    const value = line
      .slice(at + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    if (!map.has(key.toLowerCase())) map.set(key.toLowerCase(), value);
  }
  return map;
}

export type ReplyOutcome = { recipient: string; reply: RecordedReply | null; reason?: string };

/** Reads one inbound message and records it for every recipient it reached (usually one). */
export async function handleReply(
  db: Db,
  raw: Buffer,
  targets: Target[],
  envelopeFrom: string | null,
  limits: ReplyLimits = DEFAULT_REPLY_LIMITS,
): Promise<ReplyOutcome[]> {
  // HTML is turned into text by mailparser and kept as such: the app never renders a customer's HTML.
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 });
  const headers = headerMap(mail.headerLines);
  const subject = (mail.subject ?? '').slice(0, 998);
  const autoReason = autoReplyReason({ headers, subject, envelopeFrom });
  const referenced = [
    ...(headers.get('in-reply-to') ?? '').matchAll(OUR_MESSAGE_ID),
    ...(headers.get('references') ?? '').matchAll(OUR_MESSAGE_ID),
  ].map((m) => m[0]);
  const from = (mail.from?.value[0]?.address ?? envelopeFrom ?? '').slice(0, 320);
  const text = (mail.text ?? '').slice(0, limits.maxTextChars);
  const attachments = mail.attachments
    .filter((a) => a.contentDisposition !== 'inline' || a.filename)
    .slice(0, limits.maxAttachments)
    .map((a, index) => ({
      filename: (a.filename ?? `attachment-${index + 1}`).replace(/[\p{Cc}/\\]/gu, '_').slice(0, 255),
      contentType: (a.contentType || 'application/octet-stream').slice(0, 255),
      content: a.content,
    }));
  const outcomes: ReplyOutcome[] = [];
  const done = new Set<string>();
  for (const target of targets) {
    let companyId: string;
    let customerId: string | null = null;
    let answered: { messageId: string; outboxId: string } | null = null;
    const candidates = 'customerId' in target ? [target.companyId] : target.companyIds;
    for (const messageId of referenced) {
      const company = companyOfMessageId(messageId);
      if (!company || !candidates.includes(company)) continue;
      const row = await outboxByMessageId(db, company, messageId);
      if (!row?.customerId) continue;
      if ('customerId' in target && row.customerId !== target.customerId) continue;
      answered = { messageId, outboxId: row.id };
      customerId = row.customerId;
      companyId = company;
      break;
    }
    if ('customerId' in target) {
      companyId = target.companyId;
      customerId = target.customerId;
    } else if (customerId === null) {
      outcomes.push({ recipient: target.address, reply: null, reason: 'no message of ours referenced' });
      continue;
    }
    const key = `${companyId!}/${customerId}`;
    if (done.has(key)) continue;
    done.add(key);
    const reply = await recordReply(db, systemActor(companyId!, 'reply listener'), {
      customerId,
      inReplyTo: answered?.messageId ?? null,
      outboxId: answered?.outboxId ?? null,
      rfcMessageId: mail.messageId ?? null,
      from,
      subject,
      text,
      autoReason,
      size: raw.length,
      attachments,
    });
    outcomes.push({ recipient: target.address, reply });
  }
  return outcomes;
}

export type ReplyListener = { port: number; close(): Promise<void> };

type Session = SMTPServerSession & { replyTargets?: Target[] };

/**
 * An inbound SMTP server for customers' answers (point the reply address's MX, or a forwarding rule, at it).
 * Unlike the bounce listener it refuses what is not for us: an unknown recipient or a forged tag at RCPT time,
 * a message over the size limit, a message to the plain address that answers none of our messages.
 */
export async function startReplyListener(
  db: Db,
  options: { port: number; host?: string; limits?: Partial<ReplyLimits>; onReply?: (outcomes: ReplyOutcome[]) => void },
): Promise<ReplyListener> {
  const limits = { ...DEFAULT_REPLY_LIMITS, ...options.limits };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: limits.maxBytes,
    onRcptTo(address, session: Session, callback) {
      targetOf(db, address.address).then(
        (target) => {
          if (!target) {
            callback(Object.assign(new Error('5.1.1 No such recipient here'), { responseCode: 550 }));
            return;
          }
          (session.replyTargets ??= []).push(target);
          callback();
        },
        (error: Error) =>
          callback(Object.assign(new Error(`try again later: ${error.message}`), { responseCode: 451 })),
      );
    },
    onData(stream, session: Session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit nothing more is kept; smtp-server reads the rest and flags sizeExceeded.
        if (size <= limits.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > limits.maxBytes) {
          callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const envelopeFrom = mailFrom === false ? null : mailFrom.address;
        handleReply(db, Buffer.concat(chunks), session.replyTargets ?? [], envelopeFrom, limits).then(
          (outcomes) => {
            options.onReply?.(outcomes);
            if (outcomes.every((o) => o.reply === null)) {
              callback(Object.assign(new Error('5.1.1 Not an answer to one of our messages'), { responseCode: 550 }));
            } else callback(null);
          },
          (error: Error) =>
            callback(Object.assign(new Error(`try again later: ${error.message}`), { responseCode: 451 })),
        );
      });
    },
    onMailFrom(_address, session: Session, callback) {
      session.replyTargets = [];
      callback();
    },
  });
  server.on('error', () => {});
  await new Promise<void>((done, fail) => {
    server.server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => done());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../storage/database.ts';
import { flagBouncedAddresses } from '../storage/customers.ts';
import { companyOfMessageId, markBounced, type OutboxMessage } from '../storage/outbox.ts';
import { inTransaction } from '../storage/transactions.ts';
import { cancelCommunicationRecords } from './send-time-check.ts';
import { bounceWhy } from '../domain/smtp-reply.ts';
import { enqueueEvent } from '../storage/webhooks.ts';

/** What a delivery status notification (RFC 3464) says about one of our messages. */
export type Bounce = { messageId: string; recipients: string[]; status: string | null; reason: string };

// Our Message-IDs: 32 hex digits, the company id, a domain (see messageIdFor).
const OUR_MESSAGE_ID = /<[0-9a-f]{32}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[^>\s]+>/i;

type DsnRecipient = { recipient: string; action: string; status: string | null; diagnostic: string | null };

/** The per-recipient blocks of a message/delivery-status part (header-like fields, blocks split by blank lines). */
function deliveryStatus(text: string): DsnRecipient[] {
  const blocks = text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/);
  const result: DsnRecipient[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) fields.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
    }
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    const action = fields.get('action');
    if (!recipient || !action) continue;
    result.push({
      recipient: recipient.replace(/^[^;]*;\s*/, '').trim(),
      action: action.toLowerCase(),
      status: fields.get('status') ?? null,
      diagnostic: fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '') ?? null,
    });
  }
  return result;
}

/**
 * Reads a DSN: the recipients that failed for good (`Action: failed`) and the Message-ID of our message
 * (from the returned headers, else anywhere in it). Delays, successes, and anything that is not a DSN
 * about one of our messages give null.
 */
export async function parseBounce(raw: Buffer): Promise<Bounce | null> {
  // keepDeliveryStatus: without it mailparser folds the status part into the text body.
  const mail = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepDeliveryStatus: true,
  } as Parameters<typeof simpleParser>[1]);
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase() !== 'multipart/report') return null;
  const parts = mail.attachments.map((a) => ({ type: a.contentType.toLowerCase(), text: a.content.toString('utf8') }));
  const status = parts.find((p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  if (!status) return null;
  const failed = deliveryStatus(status.text).filter((r) => r.action === 'failed');
  if (failed.length === 0) return null;
  const returned = parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers');
  const headerId = returned
    ? /^message-id:\s*(<[^>]+>)/im.exec(returned.text.replace(/\r\n[ \t]+/g, ' '))?.[1]
    : undefined;
  const messageId =
    headerId && OUR_MESSAGE_ID.test(headerId) ? headerId : OUR_MESSAGE_ID.exec(raw.toString('latin1'))?.[0];
  if (!messageId) return null;
  const first = failed[0]!;
  return {
    messageId,
    recipients: failed.map((r) => r.recipient),
    status: first.status,
    reason: [first.status, first.diagnostic].filter(Boolean).join(' ') || 'delivery failed',
  };
}

export type BounceOutcome = { bounce: Bounce | null; message: OutboxMessage | null; flagged: number };

/** Applies a DSN: the message becomes `bounced` with the reason, and the failed addresses are flagged on the contacts. */
export async function handleBounce(db: Db, raw: Buffer): Promise<BounceOutcome> {
  const bounce = await parseBounce(raw);
  if (!bounce) return { bounce: null, message: null, flagged: 0 };
  const companyId = companyOfMessageId(bounce.messageId);
  if (!companyId) return { bounce, message: null, flagged: 0 };
  // The status, the flagged addresses and the message.bounced webhook are one change: all or none.
  return inTransaction(db, async (trx) => {
    // Said from the catalogue (a cause that is not a common one as a refusal for good); the receiving server's
    // words stay in the params and the log line, as the detail.
    const why = bounceWhy(bounce.reason);
    const message = await markBounced(
      trx,
      companyId,
      bounce.messageId,
      `bounced: ${bounce.reason}`,
      bounce.status
        ? { code: 'bouncedWhy', params: { why, status: bounce.status, reason: bounce.reason } }
        : { code: 'bouncedUnknown', params: { why, reason: bounce.reason } },
    );
    if (!message) return { bounce, message: null, flagged: 0 };
    const flagged = await flagBouncedAddresses(trx, companyId, bounce.recipients, bounce.reason);
    if (message.communicationId !== null && (message.kind === 'reminder' || message.kind === 'manual')) {
      // The reminder never reached the customer: its level is not counted, so the next run sends the same level
      // again, by letter now that the address is flagged (or to the customer's other addresses). The bounced row
      // gives up its key and Message-ID (kept in its error) so that new message can be queued.
      const now = new Date().toISOString();
      await cancelCommunicationRecords(trx, companyId, message.communicationId, 'bounced', now, undefined, {
        bounced: true,
      });
      await trx
        .updateTable('outbox')
        .set({
          idempotency_key: `${message.idempotencyKey}#bounced:${message.id}`,
          message_id: `<bounced.${message.id}@relance.local>`,
          last_error: `bounced: ${bounce.reason} (${message.messageId})`,
        })
        .where('company_id', '=', companyId)
        .where('id', '=', message.id)
        .execute();
    }
    await enqueueEvent(trx, companyId, 'message.bounced', {
      messageId: message.messageId,
      outboxId: message.id,
      kind: message.kind,
      communicationId: message.communicationId,
      customerId: message.customerId,
      subject: message.subject,
      recipients: bounce.recipients,
      status: bounce.status,
      reason: bounce.reason,
    });
    return { bounce, message, flagged };
  });
}

export type BounceListener = { port: number; close(): Promise<void> };

/**
 * An inbound SMTP server for the bounce address (point the sender's Return-Path or an MX at it). Every
 * message is accepted, understood or not, so no mail server is tempted to bounce the bounce.
 */
export async function startBounceListener(
  db: Db,
  options: { port: number; host?: string; onBounce?: (outcome: BounceOutcome) => void },
): Promise<BounceListener> {
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        handleBounce(db, Buffer.concat(chunks)).then(
          (outcome) => {
            options.onBounce?.(outcome);
            callback(null);
          },
          (error: Error) =>
            callback(Object.assign(new Error(`try again later: ${error.message}`), { responseCode: 451 })),
        );
      });
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

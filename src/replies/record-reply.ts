import type { AutoReplyReason } from '../domain/auto-reply.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { newId } from '../shared/ids.ts';
import { queueCollectorNotice } from '../mail/collector-notice.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import { hasReply, insertReply, refreshUnreadSince, type NewReplyAttachment } from '../storage/customer-replies.ts';
import { nowIso, type Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { enqueueEvent } from '../storage/webhooks.ts';

export type ReplyInput = {
  customerId: string;
  /** Our Message-ID it answers and that message's outbox row, when known. */
  inReplyTo: string | null;
  outboxId: string | null;
  /** The reply's own Message-ID: the same message delivered twice is stored once. */
  rfcMessageId: string | null;
  from: string;
  subject: string;
  text: string;
  autoReason: AutoReplyReason | null;
  size: number;
  attachments: NewReplyAttachment[];
  receivedAt?: string;
};

export type RecordedReply = { id: string; customerCode: string; autoReply: boolean; duplicate: boolean };

/**
 * Stores a customer's answer with its attachments, its audit row and the `customer.replied` webhook, in one
 * transaction. A real answer (not an automatic one) is unread until someone reads it, and while it is the
 * customer's next reminder waits when the policy says so (`pauseOnReply`), and its collector is told by e-mail.
 */
export async function recordReply(db: Db, actor: Actor, input: ReplyInput): Promise<RecordedReply> {
  return inTransaction(db, async (trx) => {
    const customer = await getCustomer(trx, actor.companyId, input.customerId);
    assertSees(actor, customer, `customer with id ${input.customerId}`);
    if (input.rfcMessageId && (await hasReply(trx, actor.companyId, customer.id, input.rfcMessageId))) {
      return { id: '', customerCode: customer.code, autoReply: input.autoReason !== null, duplicate: true };
    }
    const id = newId();
    const receivedAt = input.receivedAt ?? nowIso();
    await insertReply(
      trx,
      {
        company_id: actor.companyId,
        id,
        customer_id: customer.id,
        in_reply_to: input.inReplyTo,
        outbox_id: input.outboxId,
        rfc_message_id: input.rfcMessageId,
        from_address: input.from,
        subject: input.subject,
        text_body: input.text,
        auto_reply: input.autoReason === null ? 0 : 1,
        auto_reason: input.autoReason,
        size: input.size,
        received_at: receivedAt,
        read_at: null,
        read_by: null,
      },
      input.attachments,
    );
    if (input.autoReason === null) await refreshUnreadSince(trx, actor.companyId, customer.id);
    const details = {
      replyId: id,
      from: input.from,
      subject: input.subject,
      inReplyTo: input.inReplyTo,
      autoReply: input.autoReason !== null,
      autoReason: input.autoReason,
      attachments: input.attachments.map((a) => ({ filename: a.filename, size: a.content.length })),
    };
    await auditBy(trx, actor, 'customer.replied', customer.code, details);
    await enqueueEvent(trx, actor.companyId, 'customer.replied', {
      ...details,
      customerId: customer.id,
      customerCode: customer.code,
      outboxId: input.outboxId,
      receivedAt,
    });
    if (input.autoReason === null)
      await queueCollectorNotice(trx, {
        companyId: actor.companyId,
        customerId: customer.id,
        kind: 'reply',
        eventId: `reply:${id}`,
        summary: (t) =>
          t('portal.notice.reply', {
            customer: customer.name,
            code: customer.code,
            from: input.from,
            subject: input.subject,
            attachments: t('portal.notice.attachments', { count: input.attachments.length }),
          }),
        quote: input.text,
      });
    return { id, customerCode: customer.code, autoReply: input.autoReason !== null, duplicate: false };
  });
}

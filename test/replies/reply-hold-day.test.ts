import { describe, expect, it } from 'vitest';
import { markReplyRead } from '../../src/replies/mark-reply-read.ts';
import { recordReply, type ReplyInput } from '../../src/replies/record-reply.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';

function answer(customerId: string, receivedAt: string): ReplyInput {
  return {
    customerId,
    inReplyTo: null,
    outboxId: null,
    rfcMessageId: `<${receivedAt}@client.fr>`,
    from: 'marie@client.fr',
    subject: 'Re: F1',
    text: 'Payé hier soir.',
    autoReason: null,
    size: 100,
    attachments: [],
    receivedAt,
  };
}

describe.each(dialects)("the reply hold's day on %s", (dialect) => {
  const store = useStore(dialect);

  it('counts from the day the answer arrived where the company is, not in UTC', async () => {
    const { db } = store();
    const { company, customer } = await seedLedger(db);
    const actor = systemActor(company.id);
    // 23:30 in Paris on 5 March is 22:30 UTC; 00:30 in Paris on 6 March is still 5 March in UTC.
    const late = await recordReply(db, actor, answer(customer.id, '2025-03-05T22:30:00.000Z'));
    expect(await markReplyRead(db, actor, { replyId: late.id, read: true })).toMatchObject({ unreadSince: null });
    const afterMidnight = await recordReply(db, actor, answer(customer.id, '2025-03-05T23:30:00.000Z'));
    expect(await markReplyRead(db, actor, { replyId: afterMidnight.id, read: false })).toMatchObject({
      unreadSince: '2025-03-06',
    });
    expect(await markReplyRead(db, actor, { replyId: late.id, read: false })).toMatchObject({
      unreadSince: '2025-03-05',
    });

    // A company in Montréal: 02:00 UTC on 6 March is the evening of the 5th there.
    await updateCompany(db, company.id, { timeZone: 'America/Montreal' });
    await markReplyRead(db, actor, { replyId: late.id, read: true });
    const evening = await recordReply(db, actor, answer(customer.id, '2025-03-06T02:00:00.000Z'));
    await markReplyRead(db, actor, { replyId: afterMidnight.id, read: true });
    expect(await markReplyRead(db, actor, { replyId: evening.id, read: false })).toMatchObject({
      unreadSince: '2025-03-05',
    });
  });
});

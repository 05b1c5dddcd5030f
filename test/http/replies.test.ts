import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReply } from '../../src/replies/record-reply.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

describe.each(dialects)("customers' answers through the API on %s", (dialect) => {
  let f: Fixture;
  let marieReply: string;
  beforeAll(async () => {
    f = await fixture(dialect);
    const actor = systemActor(f.alpha.company.id, 'reply listener');
    const base = { inReplyTo: null, outboxId: null, autoReason: null, size: 100 } as const;
    marieReply = (
      await recordReply(f.store.db, actor, {
        ...base,
        customerId: f.alpha.marie.id,
        rfcMessageId: '<m1@client.fr>',
        from: 'compta@marie.fr',
        subject: 'Re: relance',
        text: 'Payé hier.',
        attachments: [{ filename: 'page.html', contentType: 'text/html', content: Buffer.from('<script>x</script>') }],
      })
    ).id;
    await recordReply(f.store.db, actor, {
      ...base,
      customerId: f.alpha.paul.id,
      rfcMessageId: '<p1@client.fr>',
      from: 'compta@paul.fr',
      subject: 'Re: relance',
      text: 'Je conteste.',
      attachments: [],
    });
  }, 120_000);
  afterAll(async () => f?.dispose());

  it("lists the unread answers, a restricted collector only its own customers'", async () => {
    const all = await call(f.app, f.tokens.admin, 'GET', '/api/v1/replies/unread');
    expect(all.body).toMatchObject({ count: 2 });
    const mine = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/replies/unread');
    expect(mine.body).toMatchObject({ count: 1, items: [{ customerId: f.alpha.marie.id, text: 'Payé hier.' }] });
    const paul = await call(f.app, f.tokens.restricted, 'GET', `/api/v1/customers/${f.alpha.paul.id}/replies`);
    expect(paul.status).toBe(404);
    expect((await call(f.app, f.tokens.betaAdmin, 'GET', '/api/v1/replies/unread')).body).toMatchObject({ count: 0 });
  });

  it('serves an attachment as a download that never runs in the page', async () => {
    const file = await call(f.app, f.tokens.viewer, 'GET', `/api/v1/replies/${marieReply}/attachments/0`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/octet-stream/);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="page.html"/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.raw).toBe('<script>x</script>');
    const other = await call(f.app, f.tokens.betaAdmin, 'GET', `/api/v1/replies/${marieReply}/attachments/0`);
    expect(other.status).toBe(404);
  });

  it('marks an answer read, which clears the hold, and unread again', async () => {
    expect((await call(f.app, f.tokens.viewer, 'POST', `/api/v1/replies/${marieReply}/read`, {})).status).toBe(403);
    expect((await call(f.app, f.tokens.betaAdmin, 'POST', `/api/v1/replies/${marieReply}/read`, {})).status).toBe(404);
    const read = await call(f.app, f.tokens.restricted, 'POST', `/api/v1/replies/${marieReply}/read`, {});
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: marieReply, unreadSince: null });
    const [list] = (
      (await call(f.app, f.tokens.admin, 'GET', `/api/v1/customers/${f.alpha.marie.id}/replies`)).body as {
        items: { readAt: string | null; readBy: string | null }[];
      }
    ).items;
    expect(list!.readAt).not.toBeNull();
    const again = await call(f.app, f.tokens.admin, 'POST', `/api/v1/replies/${marieReply}/read`, { read: false });
    expect(again.body).toMatchObject({ readAt: null });
    expect((again.body as { unreadSince: string | null }).unreadSince).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

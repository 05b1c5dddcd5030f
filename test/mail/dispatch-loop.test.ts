import { afterEach, describe, expect, it } from 'vitest';
import { startDispatchLoop } from '../../src/mail/dispatch-loop.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { dialects } from '../support/stores.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { queueOne } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(dialects)("the scheduler's outbox sweep on %s", (dialect) => {
  const store = useStore(dialect);

  it('sends what is queued in every company with SMTP, including a retry once its backoff is over', async () => {
    const { db } = store();
    const a = await seedLedger(db, { legalName: 'A' });
    const b = await seedLedger(db, { legalName: 'B' });
    sink = await startSink();
    for (const company of [a.company, b.company]) await saveMailSettings(db, company.id, { smtpUrl: sink.url });
    await queueOne(db, a.company.id, { subject: 'pour A' });
    const retry = await queueOne(db, b.company.id, { subject: 'pour B, plus tard' });
    await rawQuery(db, `update outbox set next_attempt_at = '2999-01-01T00:00:00.000Z' where id = '${retry.id}'`);
    const loop = startDispatchLoop(db, { intervalSeconds: 0.05 });
    try {
      await until(async () => sink!.received.length === 1);
      await rawQuery(db, `update outbox set next_attempt_at = '2000-01-01T00:00:00.000Z' where id = '${retry.id}'`);
      await until(async () => sink!.received.length === 2);
    } finally {
      await loop.stop();
    }
    expect((await listOutbox(db, b.company.id))[0]).toMatchObject({ status: 'sent', subject: 'pour B, plus tard' });
    expect(sink.received.map((m) => m.messageId).sort()).toEqual(
      [retry.messageId, (await listOutbox(db, a.company.id))[0]!.messageId].sort(),
    );
  });
});

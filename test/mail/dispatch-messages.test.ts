import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentError, resolveAttachments } from '../../src/mail/attachments.ts';
import { describeDispatch } from '../../src/mail/describe-dispatch.ts';
import { dispatchAfterQueueing } from '../../src/mail/dispatch-after.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { outboxErrorText } from '../../src/mail/outbox-errors.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import type { Db } from '../../src/storage/database.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { queueOne } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
const mailFrom = process.env.RELANCE_MAIL_FROM;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  if (mailFrom === undefined) delete process.env.RELANCE_MAIL_FROM;
  else process.env.RELANCE_MAIL_FROM = mailFrom;
});

// Every reason a dispatch gives for stopping or failing is a catalogue code: a French screen never reads English.
describe('what a dispatch says when it stops or fails', () => {
  const store = useStore('sqlite');

  it('names the missing sender address in the reader language, and keeps the messages queued', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink();
    process.env.RELANCE_MAIL_FROM = '';
    await saveMailSettings(db, company.id, { smtpUrl: sink.url, from: 'relance@example.com' });
    await queueOne(db, company.id);
    const report = await dispatchOutbox(db, company.id);
    expect(report).toMatchObject({
      sent: 0,
      stoppedReason: { code: 'outbox.smtp.identity', params: { gaps: 'outbox.identity.senderEmail' } },
    });
    expect(report.stopped).toMatch(/^the company identity is incomplete, fill in: the sender address of e-mails/);
    expect(describeDispatch(report, 'fr')).toContain(
      "arrêté : l'identité de la société est incomplète, renseignez : l'adresse d'expédition des e-mails",
    );
    expect(sink.received).toHaveLength(0);
    expect(await listOutbox(db, company.id, { status: 'queued' })).toHaveLength(1);
  });

  it('says why an attachment could not be made from the refusal catalogue, not in the server words', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    sink = await startSink();
    await saveMailSettings(db, company.id, { smtpUrl: sink.url, from: 'compta@societe-a.fr' });
    await queueOne(db, company.id, {
      attachments: [{ kind: 'schedule', invoiceNumber: 'NOPE', date: '2026-01-15', filename: 'échéancier.pdf' }],
    });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 0, failed: 1 });
    const [failed] = await listOutbox(db, company.id, { status: 'failed' });
    expect(failed!.error!.code).toBe('outbox.errors.attachmentWhy');
    expect(outboxErrorText(failed!.error!, 'fr')).toMatch(/^Pièce jointe impossible à produire : .*NOPE/);
    expect(outboxErrorText(failed!.error!, 'fr')).not.toMatch(/invoice|not found/i);
    expect(outboxErrorText(failed!.error!, 'en')).toMatch(/^An attachment could not be made: .*NOPE/);
  });

  it('names an unreadable attachment reference from the catalogue', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    const refused = await resolveAttachments(db, company.id, [{ kind: 'nonsense' }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AttachmentError);
    expect((refused as AttachmentError).text).toEqual({ key: 'outbox.attachmentUnreadable' });
  });

  it('reports an unexpected failure of the dispatch as such, its English words left to the log', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    const broken = new Proxy(db, {
      get: (target, property) =>
        property === 'selectFrom'
          ? () => {
              throw new Error('disk I/O error');
            }
          : Reflect.get(target, property),
    }) as Db;
    let logged: unknown = null;
    const report = await dispatchAfterQueueing(broken, company.id, { onError: (error) => (logged = error) });
    expect((logged as Error).message).toBe('disk I/O error');
    expect(report.stoppedReason).toEqual({ code: 'outbox.smtp.unexpected', params: {} });
    expect(describeDispatch(report, 'fr')).toContain("arrêté : une erreur inattendue s'est produite");
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { workspace } from '../cli/support.ts';
import { parse } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

function ledger() {
  const w = workspace();
  const customers = w.file(
    'c.csv',
    'code,name,kind,email,address1,postcode,city',
    'BREAK,Boulangerie Crème,company,compta@break.fr,1 rue A,75001,Paris',
  );
  const invoices = w.file(
    'i.csv',
    'number,customer,issue_date,due_date,total,currency',
    'F1,BREAK,2022-01-01,2022-01-31,180.00,EUR',
    'F2,BREAK,2022-02-01,2022-02-28,90.00,EUR',
  );
  return { w, customers, invoices };
}

type OutboxJson = {
  id: string;
  status: string;
  kind: string;
  to: string[];
  subject: string;
  lastError: string | null;
  emlPath: string | null;
  attachments: string[];
};

describe('e-mail from the command line', () => {
  it('without SMTP a run says plainly that no e-mail can leave, before recording or queuing anything', async () => {
    const { w, customers, invoices } = ledger();
    await w.importFiles(['customers', customers], ['invoices', invoices]);
    const run = await w.run('--lang', 'fr', 'run', '--date', '2022-03-28');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Aucun serveur SMTP n'est configuré : aucun e-mail ne peut partir, rien n'a donc été/);
    expect(JSON.parse((await w.run('outbox', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await w.run('reminders', '--json')).stdout)).toEqual([]);
    expect((await w.run('outbox')).stdout).toContain('0 queued, 0 sending, 0 sent');
  }, 120_000);

  it('sends a run, a test, a manual reminder and the simulation through SMTP, and lists the outbox', async () => {
    const { w, customers, invoices } = ledger();
    sink = await startSink();
    await w.importFiles(['customers', customers], ['invoices', invoices]);
    expect(
      (
        await w.run(
          'mail',
          'set',
          '--smtp',
          sink.url,
          '--from',
          'Société A <relances@societe-a.fr>',
          '--bcc',
          'archive@societe-a.fr',
        )
      ).code,
    ).toBe(0);
    expect((await w.run('mail', 'set', '--from', 'pas une adresse')).code).toBe(1);
    expect(JSON.parse((await w.run('mail', 'show', '--json')).stdout)).toMatchObject({
      smtp: sink.url,
      bcc: ['archive@societe-a.fr'],
    });

    const run = await w.run('run', '--date', '2022-03-28');
    expect(run.stdout).toContain('1 e-mail sent.');
    const test = await w.run('send-test', '--step', '2', '--to', 'moi@societe-a.fr');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('1 e-mail sent.');
    const remind = await w.run(
      'remind',
      '--customer',
      'BREAK',
      '--invoice',
      'F2',
      '--to',
      'dg@break.fr',
      '--subject',
      'Facture F2',
      '--message-file',
      w.file('m.txt', 'Bonjour,', '', 'Merci de régler la facture F2.'),
      '--no-letter',
      '--date',
      '2022-03-29',
    );
    expect(remind.code).toBe(0);
    // Both were overdue at the run, so it sent the first real reminder (level 2, the pre-reminder passed over).
    expect(remind.stdout).toMatch(/Reminder level 3 recorded for F2 to dg@break\.fr\. 1 e-mail sent\./);
    const simulate = await w.run('simulate', '--to', 'moi@societe-a.fr', '--date', '2022-04-30');
    expect(simulate.code).toBe(0);

    const mails = await Promise.all(sink.received.map((m) => parse(m.raw)));
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining('F1'),
      expect.stringMatching(/^\[Test\] /),
      'Facture F2',
      expect.stringMatching(/^Simulation des relances du 30\/04\/2022/),
    ]);
    expect(mails[2]!.text).toContain('Merci de régler la facture F2.');
    expect(mails[2]!.attachments.map((a) => a.filename)).toEqual(['Facture F2.pdf']);
    expect(mails[3]!.text).toContain('BREAK');
    const outbox = JSON.parse((await w.run('outbox', '--status', 'sent', '--json')).stdout) as OutboxJson[];
    expect(outbox.map((m) => m.kind).sort()).toEqual(['manual', 'reminder', 'simulation', 'test']);
    const history = JSON.parse((await w.run('reminders', '--json')).stdout) as {
      invoice: string;
      level: number;
      runId: string | null;
    }[];
    expect(history.map((h) => [h.invoice, h.level, h.runId === null])).toEqual([
      ['F1', 2, false],
      ['F2', 2, false],
      ['F2', 3, true],
    ]);
    expect((await w.run('dispatch')).stdout).toBe('0 e-mails sent.\n');
    expect((await w.run('outbox', '--status', 'nope')).code).toBe(2);
  }, 180_000);
});

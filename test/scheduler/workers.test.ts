import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { afterEach, describe, expect, it } from 'vitest';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { startWorkers, type Workers } from '../../src/scheduler/workers.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { addContact } from '../../src/storage/customers.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { listReminders } from '../../src/storage/dunning.ts';
import { dialects } from '../support/stores.ts';
import { seedLedger, useStore } from '../repositories/helpers.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';

let sink: Sink | undefined;
const running: Workers[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const workers of running.splice(0)) await workers.stop();
  await sink?.close();
  sink = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.each(dialects)('the background workers of relance serve / relance scheduler on %s', (dialect) => {
  const store = useStore(dialect);

  it("make the day's automatic run and send its e-mail, once, even when two processes run them", async () => {
    const { db } = store();
    const { company, customer } = await seedLedger(db);
    await addContact(db, company.id, customer.id, {
      name: 'Marie Dupont',
      email: 'marie@client.fr',
      phone: null,
      role: 'billing',
      isPrimary: true,
    });
    sink = await startSink();
    await saveMailSettings(db, company.id, { smtpUrl: sink.url, from: 'relances@societe-a.fr' });
    await updateCompany(db, company.id, {
      automation: { enabled: true, time: '09:00', skipWeekends: true, skipHolidays: true },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'relance-workers-'));
    // Thursday 20 February 2025, 11:00 in Paris: after the company's 09:00, on a working day.
    const now = () => Temporal.Instant.from('2025-02-20T10:00:00Z');
    const log: string[] = [];
    const options = { dataDir, now, log: (message: string) => log.push(message), dispatchIntervalSeconds: 3600 };

    running.push(startWorkers(db, options), startWorkers(db, options));
    await Promise.all(running.map((workers) => workers.scheduler.refresh()));

    const reminders = await listReminders(db, company.id, {});
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ invoice: 'F1' });
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.to).toEqual(['marie@client.fr']);
    expect((await listOutbox(db, company.id)).map((m) => m.status)).toEqual(['sent']);
    expect(log.some((line) => /1 e-mail sent/.test(line))).toBe(true);
    // The other process's run is skipped, said from the catalogue.
    expect(
      log.some((line) => /automatic run of 20 February 2025 is (already done|under way in another)/.test(line)),
    ).toBe(true);
  });

  it('leave a company alone while its automatic mode is off', async () => {
    const { db } = store();
    const { company } = await seedLedger(db);
    dataDir = mkdtempSync(join(tmpdir(), 'relance-workers-'));
    const workers = startWorkers(db, {
      dataDir,
      log: () => {},
      now: () => Temporal.Instant.from('2025-02-20T10:00:00Z'),
    });
    running.push(workers);
    await workers.scheduler.refresh();
    expect(workers.scheduler.scheduled()).toEqual([]);
    expect(await listReminders(db, company.id, {})).toEqual([]);
  });
});

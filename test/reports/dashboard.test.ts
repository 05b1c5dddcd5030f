import { describe, expect, it } from 'vitest';
import { dashboard } from '../../src/reports/dashboard.ts';
import { collectionKpis } from '../../src/reports/kpis.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { markFailed } from '../../src/storage/outbox.ts';
import { queueOne } from '../mail/support/fixtures.ts';
import { dialects } from '../support/stores.ts';
import { useStore } from '../repositories/helpers.ts';
import { seedAgingLedger } from './ledger.ts';

describe.each(dialects)('the dashboard on %s', (dialect) => {
  const store = useStore(dialect);

  it('gives the KPI report’s count-back DSO, for the whole company and for one représentant', async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    for (const salesRep of [null, 'Claire']) {
      const actor = { ...systemActor(company.id), salesRep };
      const figures = await dashboard(db, actor, '2025-07-31');
      const kpis = await collectionKpis(db, company.id, {
        date: '2025-07-31',
        months: 1,
        customerSalesRep: salesRep ?? undefined,
      });
      expect(figures.receivable).toBe(kpis.dso.receivables);
      expect(figures.dso).toBe(kpis.dso.days);
      expect(figures.dso).toBeGreaterThan(0);
    }
  });

  it("lists recent messages with why each is not sent as a catalogue code, to say in the reader's language", async () => {
    const { db } = store();
    const { company } = await seedAgingLedger(db);
    const message = await queueOne(db, company.id);
    await rawQuery(db, `update outbox set status = 'sending' where id = '${message.id}'`);
    await markFailed(db, company.id, message.id, 'Mailbox unavailable', {
      code: 'rejected',
      params: { why: 'unknownUser', status: '550 5.1.1' },
    });
    const [recent] = (await dashboard(db, systemActor(company.id), '2025-07-31')).recent;
    expect(recent).toMatchObject({
      status: 'failed',
      lastError: 'Mailbox unavailable',
      error: { code: 'outbox.errors.rejected', params: { why: 'unknownUser', status: '550 5.1.1' } },
    });
  });
});

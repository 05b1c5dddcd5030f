import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { Company } from '../../src/domain/ledger.ts';
import { changeAutomation, nextAutomaticRun } from '../../src/scheduler/automation.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

const at = (iso: string) => Temporal.Instant.from(iso);
function company(overrides: Partial<Company['automation']> = {}): Company {
  return {
    id: 'c',
    legalName: 'A',
    siren: null,
    vatNumber: null,
    iban: null,
    bic: null,
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    locale: 'fr',
    letterhead: null,
    address: { line1: null, line2: null, postcode: null, city: null, country: 'FR' },
    automation: { enabled: true, time: '09:00', skipWeekends: true, skipHolidays: true, ...overrides },
  };
}

describe('the next automatic run', () => {
  it("is today at the company's time if still to come, else the next working day; none when off", () => {
    expect(nextAutomaticRun(company(), at('2026-11-26T07:00:00Z'))).toBe('2026-11-26T09:00+01:00');
    // Thursday 10:00 in Paris: tomorrow Friday.
    expect(nextAutomaticRun(company(), at('2026-11-26T09:00:00Z'))).toBe('2026-11-27T09:00+01:00');
    // Friday after the run: Monday, the weekend skipped (or Saturday when weekends are not skipped).
    expect(nextAutomaticRun(company(), at('2026-11-27T12:00:00Z'))).toBe('2026-11-30T09:00+01:00');
    expect(nextAutomaticRun(company({ skipWeekends: false }), at('2026-11-27T12:00:00Z'))).toBe(
      '2026-11-28T09:00+01:00',
    );
    // Christmas Eve after the run: the 25th is a holiday, the 26th-27th a weekend.
    expect(nextAutomaticRun(company(), at('2026-12-24T12:00:00Z'))).toBe('2026-12-28T09:00+01:00');
    expect(nextAutomaticRun(company({ enabled: false }), at('2026-11-26T07:00:00Z'))).toBeNull();
  });
});

describe('changing automatic mode', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await freshStore('sqlite');
  });
  afterEach(async () => store.dispose());

  it('is scheduled at once by the scheduler of the same process, without waiting for its re-read', async () => {
    const c = await createCompany(store.db, { legalName: 'Soon' });
    const scheduler = startScheduler({
      db: store.db,
      job: async () => undefined,
      refreshMinutes: 59,
      now: () => at('2026-11-26T06:00:00Z'),
    });
    try {
      await scheduler.refresh();
      expect(scheduler.scheduled()).toEqual([]);
      const view = await changeAutomation(
        store.db,
        { companyId: c.id, userId: null, name: 'test' },
        { enabled: true, time: '08:15' },
      );
      expect(view).toMatchObject({ enabled: true, time: '08:15' });
      expect(view.nextRunAt).toMatch(/T08:15[+-]\d\d:\d\d$/);
      await expect.poll(() => scheduler.scheduled().map((s) => s.companyId)).toEqual([c.id]);
    } finally {
      scheduler.stop();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { isWorkingDay, publicHoliday } from '../../src/domain/business-days.ts';
import type { Company } from '../../src/domain/ledger.ts';
import { dueAt, startScheduler } from '../../src/scheduler/scheduler.ts';
import { createCompany, updateCompany } from '../../src/storage/companies.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

const at = (iso: string) => Temporal.Instant.from(iso);

function company(overrides: Partial<Company['automation']> = {}, timeZone = 'Europe/Paris'): Company {
  return {
    id: 'c',
    legalName: 'A',
    siren: null,
    vatNumber: null,
    iban: null,
    bic: null,
    currency: 'EUR',
    timeZone,
    locale: 'fr',
    letterhead: null,
    address: { line1: null, line2: null, postcode: null, city: null, country: 'FR' },
    automation: { enabled: true, time: '09:00', skipWeekends: true, skipHolidays: true, ...overrides },
  };
}

describe('working days', () => {
  it('knows French public holidays and weekends', () => {
    const rule = { country: 'FR', skipWeekends: true, skipHolidays: true };
    expect(publicHoliday('2026-07-14', 'FR')).toMatch(/Fête Nationale/);
    expect(publicHoliday('2026-12-24', 'FR')).toBeNull();
    expect(isWorkingDay('2026-12-25', rule)).toBe(false);
    expect(isWorkingDay('2026-11-28', rule)).toBe(false);
    expect(isWorkingDay('2026-11-26', rule)).toBe(true);
    expect(isWorkingDay('2026-11-28', { ...rule, skipWeekends: false })).toBe(true);
    expect(isWorkingDay('2026-12-25', { ...rule, skipHolidays: false })).toBe(true);
    expect(isWorkingDay('2026-10-03', { country: 'DE', skipWeekends: false, skipHolidays: true })).toBe(false);
  });
});

describe('when the automatic run is due', () => {
  it("runs from the company's local time on, on working days only", () => {
    // 07:59 UTC is 08:59 in Paris in winter: one minute early.
    expect(dueAt(company(), at('2026-11-26T07:59:00Z'))).toMatchObject({ run: false, date: '2026-11-26' });
    expect(dueAt(company(), at('2026-11-26T08:00:00Z'))).toEqual({ run: true, date: '2026-11-26' });
    // 23:30 UTC on the 26th is already the 27th in Paris, at half past midnight: that day's run is later.
    expect(dueAt(company(), at('2026-11-26T23:30:00Z'))).toMatchObject({ run: false, date: '2026-11-27' });
    expect(dueAt(company(), at('2026-11-28T10:00:00Z'))).toMatchObject({ run: false, reason: 'not a working day' });
    expect(dueAt(company({ enabled: false }), at('2026-11-26T10:00:00Z'))).toMatchObject({
      run: false,
      reason: 'automatic mode is off',
    });
    expect(dueAt(company({}, 'America/New_York'), at('2026-11-26T10:00:00Z'))).toMatchObject({ run: false });
  });
});

describe('scheduler', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await freshStore('sqlite');
  });
  afterEach(async () => store.dispose());

  it('schedules companies in automatic mode at their local time and catches up a missed run', async () => {
    const on = await createCompany(store.db, { legalName: 'On', automation: { enabled: true, time: '09:30' } });
    await createCompany(store.db, { legalName: 'Off' });
    const calls: [string, string][] = [];
    const scheduler = startScheduler({
      db: store.db,
      job: async (c, date) => {
        calls.push([c.legalName, date]);
      },
      now: () => at('2026-11-26T10:00:00Z'),
    });
    try {
      await scheduler.refresh();
      const scheduled = scheduler.scheduled();
      expect(scheduled.map((s) => s.companyId)).toEqual([on.id]);
      const next = Temporal.Instant.from(scheduled[0]!.nextRun!.toISOString()).toZonedDateTimeISO('Europe/Paris');
      expect([next.hour, next.minute]).toEqual([9, 30]);
      expect(calls).toContainEqual(['On', '2026-11-26']);
      expect(calls.every(([name]) => name === 'On')).toBe(true);

      await updateCompany(store.db, on.id, { automation: { enabled: false } });
      await scheduler.refresh();
      expect(scheduler.scheduled()).toEqual([]);
    } finally {
      scheduler.stop();
    }
  });

  it('refuses a run time that is not HH:MM and a time zone that does not exist', async () => {
    await expect(createCompany(store.db, { legalName: 'X', automation: { time: '25:00' } })).rejects.toThrow(/HH:MM/);
    await expect(createCompany(store.db, { legalName: 'Y', timeZone: 'Europe/Pariss' })).rejects.toThrow(
      /not a time zone/,
    );
  });
});

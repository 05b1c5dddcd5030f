import { describe, expect, it, vi } from 'vitest';
import { addDays, daysBetween, isIsoDate, isValidTimeZone, parseDate, todayIn } from '../../src/domain/calendar.ts';

function date(input: string): string {
  const result = parseDate(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.reason}`);
  return result.value;
}

function refusal(input: string): string {
  const result = parseDate(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.value}`);
  return result.reason;
}

describe('parseDate', () => {
  it.each([
    ['2024-01-31', '2024-01-31'],
    ['31/01/2024', '2024-01-31'],
    ['01/02/2024', '2024-02-01'],
    ['1/2/2024', '2024-02-01'],
    ['5/11/2024', '2024-11-05'],
    ['  2024-01-05 ', '2024-01-05'],
    ['29/02/2024', '2024-02-29'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %j as %s (day first in the French form)', (input, expected) => {
    expect(date(input)).toBe(expected);
  });

  it.each(['31/02/2024', '2023-02-29', '29/02/2023', '2024-13-01', '32/01/2024', '00/01/2024', '2024-04-31'])(
    'refuses %j, which does not exist',
    (input) => {
      expect(refusal(input)).toContain('is not a real date');
    },
  );

  it.each(['2024/01/01', '01-02-2024', '2024-1-5', '20240101', 'demain', '', '31/01/24'])(
    'refuses %j as not a date in a known format',
    (input) => {
      expect(refusal(input)).toContain('is not a date');
    },
  );

  it('refuses years outside 1900-2999 (typing slips such as 0224)', () => {
    expect(refusal('1899-12-31')).toMatch(/supported years/);
    expect(refusal('01/01/0224')).toMatch(/supported years/);
  });

  it('gives the same answer when asked twice (the cache does not change results)', () => {
    expect(parseDate('31/02/2024')).toEqual(parseDate('31/02/2024'));
    expect(date('15/03/2025')).toBe(date('15/03/2025'));
  });
});

describe('isIsoDate', () => {
  it('accepts only the canonical form of a real date', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('29/02/2024')).toBe(false);
    expect(isIsoDate(' 2024-02-29')).toBe(false);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2023-12-31', '2024-01-01', 1],
    ['2024-01-31', '2024-02-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2026-01-01', 365],
    ['2025-03-30', '2025-03-31', 1],
    ['2025-10-26', '2025-10-27', 1],
    ['2025-06-01', '2025-06-01', 0],
  ])('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('is negative when the dates are reversed', () => {
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2024-01-01', '2023-12-31')).toBe(-1);
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-01-31', 30)).toBe('2025-03-02');
    expect(addDays('2025-05-05', 0)).toBe('2025-05-05');
  });

  it('is the inverse of daysBetween', () => {
    for (const n of [-400, -31, -1, 0, 1, 29, 45, 365, 1000]) {
      expect(daysBetween('2024-02-29', addDays('2024-02-29', n))).toBe(n);
    }
  });
});

describe('todayIn', () => {
  it('returns a YYYY-MM-DD date', () => {
    const today = todayIn('Europe/Paris');
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(isIsoDate(today)).toBe(true);
  });

  it('is the date in the given zone, not the server zone', () => {
    const expected = (zone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
      );
    const before = expected('Europe/Paris');
    const today = todayIn('Europe/Paris');
    const after = expected('Europe/Paris');
    expect([before, after]).toContain(today);
    // UTC+14 and UTC-11 are 25 hours apart: always one or two calendar days.
    const gap = daysBetween(todayIn('Pacific/Pago_Pago'), todayIn('Pacific/Kiritimati'));
    expect([1, 2]).toContain(gap);
  });

  it("moves to the next day at the zone's midnight, and back when the clock is set back", () => {
    vi.useFakeTimers();
    try {
      // 23:59:59 in Paris (UTC+1 in January), then 00:00:00: the remembered day must not outlive its midnight.
      vi.setSystemTime(new Date('2026-01-14T22:59:59Z'));
      expect(todayIn('Europe/Paris')).toBe('2026-01-14');
      expect(todayIn('Europe/Paris')).toBe('2026-01-14');
      vi.setSystemTime(new Date('2026-01-14T23:00:00Z'));
      expect(todayIn('Europe/Paris')).toBe('2026-01-15');
      vi.setSystemTime(new Date('2026-01-14T12:00:00Z'));
      expect(todayIn('Europe/Paris')).toBe('2026-01-14');
      // A day of 23 hours (summer time starts on 29 March 2026 in Paris) ends at its own midnight too.
      vi.setSystemTime(new Date('2026-03-29T21:59:59Z'));
      expect(todayIn('Europe/Paris')).toBe('2026-03-29');
      vi.setSystemTime(new Date('2026-03-29T22:00:00Z'));
      expect(todayIn('Europe/Paris')).toBe('2026-03-30');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses others', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/Guadeloupe')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

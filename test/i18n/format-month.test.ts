import { describe, expect, it } from 'vitest';
import { formatYearMonth } from '../../src/i18n/format-date.ts';

describe('a month as the reader names it (report charts)', () => {
  it('is written in French or English, never as YYYY-MM', () => {
    expect(['2026-01', '2026-02', '2026-08', '2026-12'].map((m) => formatYearMonth(m, 'fr'))).toEqual([
      'janv. 2026',
      'févr. 2026',
      'août 2026',
      'déc. 2026',
    ]);
    expect(formatYearMonth('2026-12', 'en')).toBe('Dec 2026');
    expect(formatYearMonth('2026-13', 'fr')).toBe('2026-13');
  });
});

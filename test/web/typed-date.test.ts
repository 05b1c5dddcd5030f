import { describe, expect, it } from 'vitest';
import { parseTypedDate } from '../../web/src/typed-date.ts';

describe('a date typed in a date field', () => {
  it('reads dd/mm/yyyy as the app writes dates, short forms, and a pasted ISO date', () => {
    expect(parseTypedDate('15/03/2026')).toBe('2026-03-15');
    expect(parseTypedDate(' 5/3/26 ')).toBe('2026-03-05');
    expect(parseTypedDate('15.03.2026')).toBe('2026-03-15');
    expect(parseTypedDate('2026-03-15')).toBe('2026-03-15');
    expect(parseTypedDate('29/02/2028')).toBe('2028-02-29');
  });

  it('never reads a month first, and refuses a date that does not exist', () => {
    expect(parseTypedDate('03/15/2026')).toBeNull();
    expect(parseTypedDate('29/02/2026')).toBeNull();
    expect(parseTypedDate('31/04/2026')).toBeNull();
    expect(parseTypedDate('demain')).toBeNull();
    expect(parseTypedDate('')).toBeNull();
  });
});

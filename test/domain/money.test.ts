import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, formatMoney, isCurrencyCode, minorDigits, parseAmount } from '../../src/domain/money.ts';

function cents(input: string, currency = 'EUR'): number {
  const result = parseAmount(input, currency);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.reason}`);
  return result.value;
}

function refusal(input: string, currency = 'EUR'): string {
  const result = parseAmount(input, currency);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.value}`);
  return result.reason;
}

/** `1234.56` → `1 234,56` with the given grouping space, as a French spreadsheet writes it. */
function frenchForm(machine: string, space: string): string {
  const negative = machine.startsWith('-');
  const [integer, fraction] = (negative ? machine.slice(1) : machine).split('.') as [string, string | undefined];
  const grouped = integer.replace(/\B(?=(\d{3})+$)/g, space);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
}

describe('parseAmount', () => {
  it('reads plain amounts as the general reading does (a surrounding space takes the general path)', () => {
    const plain = [
      '0',
      '7',
      '007.5',
      '1234.56',
      '1234.5',
      '1234',
      '9999999999999.99',
      '99999999999999',
      '12.345',
      '1.',
      '.5',
    ];
    for (const text of plain) {
      for (const currency of ['EUR', 'JPY', 'KWD']) {
        const read = (input: string) => {
          const result = parseAmount(input, currency);
          return result.ok ? result.value : result.code;
        };
        expect(read(text), `${text} ${currency}`).toEqual(read(` ${text} `));
      }
    }
  });

  it.each([
    ['1234.56', 123456],
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1\u202f234,56', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['1 234 567,89', 123456789],
    ['1.234.567,89', 123456789],
    ['1,234,567.89', 123456789],
    ['12 €', 1200],
    ['€12', 1200],
    ['-12,5', -1250],
    ['+7', 700],
    ['0', 0],
    ['  42,00  ', 4200],
  ])('reads %j as %i cents', (input, expected) => {
    expect(cents(input)).toBe(expected);
  });

  it('never yields a negative zero', () => {
    expect(Object.is(cents('-0'), 0)).toBe(true);
    expect(Object.is(cents('-0,00'), 0)).toBe(true);
  });

  it('refuses a lone comma followed by three digits for EUR instead of reading a thousand', () => {
    expect(refusal('1,234')).toMatch(/more than 2 decimals for EUR/);
    expect(refusal('1.234')).toMatch(/more than 2 decimals for EUR/);
  });

  it.each(['abc', '1.2.3', '12,345,67', '1,2.3,4', '12a', '--5'])('refuses %j as not an amount', (input) => {
    expect(refusal(input)).toContain('is not a valid amount');
  });

  it.each(['-', '+', '.', ',', '-,', '- €'])('refuses %j, which holds no digit, instead of reading zero', (input) => {
    expect(parseAmount(input).ok).toBe(false);
  });

  it('refuses an empty or blank cell', () => {
    expect(refusal('')).toBe('is empty');
    expect(refusal('   ')).toBe('is empty');
  });

  it('refuses amounts too large to be exact', () => {
    expect(refusal('12345678901234')).toMatch(/too large/);
  });

  it('knows JPY has no decimals', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(cents('12', 'JPY')).toBe(12);
    expect(cents('1 234', 'JPY')).toBe(1234);
    expect(refusal('12.5', 'JPY')).toMatch(/more than 0 decimals for JPY/);
  });

  it('knows a three-decimal currency (TND)', () => {
    expect(minorDigits('TND')).toBe(3);
    expect(cents('1,234', 'TND')).toBe(1234);
    expect(cents('1.5', 'TND')).toBe(1500);
  });
});

describe('formatAmount', () => {
  it('writes the canonical machine form', () => {
    expect(formatAmount(123456, 'EUR')).toBe('1234.56');
    expect(formatAmount(5)).toBe('0.05');
    expect(formatAmount(0)).toBe('0.00');
    expect(formatAmount(-123456)).toBe('-1234.56');
    expect(formatAmount(-5)).toBe('-0.05');
  });

  it('writes JPY without decimals', () => {
    expect(formatAmount(1234, 'JPY')).toBe('1234');
    expect(formatAmount(-1234, 'JPY')).toBe('-1234');
  });
});

describe('formatMoney', () => {
  it('renders French amounts with no-break spaces (never the narrow U+202F)', () => {
    const text = formatMoney(123456, 'EUR', 'fr-FR');
    expect(text).toBe('1\u00a0234,56\u00a0€');
    expect(text).not.toContain('\u202f');
  });

  it('is French by default and keeps the sign', () => {
    const text = formatMoney(-123456);
    expect(text).not.toContain('\u202f');
    expect(cents(text)).toBe(-123456);
  });

  it('follows the locale', () => {
    expect(formatMoney(123456, 'EUR', 'en-US')).toBe('€1,234.56');
  });

  it('does not lose a cent on large amounts', () => {
    expect(formatMoney(99999999999999, 'EUR', 'fr-FR')).toBe('999\u00a0999\u00a0999\u00a0999,99\u00a0€');
  });

  it('writes euros in French exactly as Intl does, without asking it', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    const viaIntl = (c: number) => intl.format(formatAmount(c) as unknown as number).replace(/\u202f/g, '\u00a0');
    const edges = [0, 1, 9, 10, 99, 100, 101, 99_999, 100_000, 123_456, 99_999_999, 100_000_000, -1, -100, -123_456];
    for (const c of edges) expect(formatMoney(c, 'EUR', 'fr-FR')).toBe(viaIntl(c));
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 1e14 }), (c) => {
        expect(formatMoney(c, 'EUR', 'fr-FR')).toBe(viaIntl(c));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isCurrencyCode', () => {
  it('knows ISO 4217 codes', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('JPY')).toBe(true);
    expect(isCurrencyCode('EUX')).toBe(false);
    expect(isCurrencyCode('')).toBe(false);
  });
});

describe('round trips', () => {
  const anyCents = fc.integer({ min: -1e12, max: 1e12 });

  it('parseAmount reads back formatAmount for every amount', () => {
    fc.assert(
      fc.property(anyCents, (c) => {
        const result = parseAmount(formatAmount(c));
        expect(result).toEqual({ ok: true, value: c });
      }),
      { numRuns: 2000 },
    );
  });

  it('parseAmount reads back the French form with a decimal comma and any grouping space', () => {
    fc.assert(
      fc.property(anyCents, fc.constantFrom(' ', '\u00a0', '\u202f', '.'), (c, space) => {
        const text = frenchForm(formatAmount(c), space);
        expect(parseAmount(text)).toEqual({ ok: true, value: c });
      }),
      { numRuns: 2000 },
    );
  });

  it('parseAmount reads back formatMoney in French', () => {
    fc.assert(
      fc.property(anyCents, (c) => {
        expect(parseAmount(formatMoney(c, 'EUR', 'fr-FR'))).toEqual({ ok: true, value: c });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips JPY', () => {
    fc.assert(
      fc.property(anyCents, (c) => {
        expect(parseAmount(formatAmount(c, 'JPY'), 'JPY')).toEqual({ ok: true, value: c });
      }),
      { numRuns: 500 },
    );
  });
});

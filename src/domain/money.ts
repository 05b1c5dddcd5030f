/**
 * Money is an integer count of the currency's minor unit (cents for EUR).
 * Parsing is done on the decimal string itself so no float ever touches an amount.
 */
export type Cents = number;

/** A failure carries its English reason and the catalogue key (src/i18n) that says it in the reader's language. */
export type ParseFailure = { ok: false; reason: string; code?: string; params?: Record<string, string | number> };
export type ParseResult<T> = { ok: true; value: T } | ParseFailure;

const minorDigitsCache = new Map<string, number>();
let knownCurrencies: Set<string> | undefined;

export function isCurrencyCode(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

/** Number of decimals of the currency's minor unit (EUR 2, JPY 0, TND 3). */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

// Spaces of every kind a spreadsheet or a French locale puts between thousands, and the Swiss apostrophe.
const GROUPING = /[\s\u00a0\u202f\u2009']/g;
const SYMBOLS = /^(?:€|\$|£|EUR|USD|GBP|CHF)|(?:€|\$|£|EUR|USD|GBP|CHF)$/g;
const GROUPED_THOUSANDS = /^\d{1,3}(?:[.,]\d{3})+$/;

const DOT = 46;

/** The cents of `1234.56`, `1234.5` or `1234` (at most 13 digits before the dot), read without a regular expression; -1 for anything else. */
function plainCents(input: string): number {
  const length = input.length;
  let units = 0;
  let i = 0;
  for (; i < length; i++) {
    const digit = input.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    units = units * 10 + digit;
  }
  if (i === 0 || i > 13) return -1;
  if (i === length) return units * 100;
  const decimals = length - i - 1;
  if (input.charCodeAt(i) !== DOT || decimals < 1 || decimals > 2) return -1;
  const tenths = input.charCodeAt(i + 1) - 48;
  const hundredths = decimals === 2 ? input.charCodeAt(i + 2) - 48 : 0;
  if (tenths < 0 || tenths > 9 || hundredths < 0 || hundredths > 9) return -1;
  return units * 100 + tenths * 10 + hundredths;
}

/**
 * Reads `1234.56`, `1 234,56`, `1.234,56`, `1,234.56`, `-12`, `12 €`.
 * A lone separator is the decimal one, so `1,234` means 1.234 and is refused for EUR (three decimals)
 * rather than silently read as a thousand.
 */
export function parseAmount(input: string, currency = 'EUR'): ParseResult<Cents> {
  // Fast path for the canonical `1234.56` that exports and generators write, millions of times per import.
  const plain = plainCents(input);
  if (plain >= 0 && minorDigits(currency) === 2) return { ok: true, value: plain };
  let text = input.trim().replace(SYMBOLS, '').replace(GROUPING, '');
  if (text === '') return { ok: false, reason: 'is empty', code: 'parse.empty' };
  let negative = false;
  if (text.startsWith('-') || text.startsWith('−')) {
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  let integerPart: string;
  let fraction: string;
  if (lastComma >= 0 && lastDot >= 0) {
    const decimalAt = Math.max(lastComma, lastDot);
    integerPart = text.slice(0, decimalAt);
    fraction = text.slice(decimalAt + 1);
    const groupSep = decimalAt === lastComma ? '.' : ',';
    if (integerPart.includes(text[decimalAt]!) || !GROUPED_THOUSANDS.test(integerPart)) {
      return {
        ok: false,
        reason: `"${input}" is not a valid amount`,
        code: 'parse.notAmount',
        params: { value: input },
      };
    }
    integerPart = integerPart.split(groupSep).join('');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = text.split(sep);
    if (parts.length !== 2)
      return {
        ok: false,
        reason: `"${input}" is not a valid amount`,
        code: 'parse.notAmount',
        params: { value: input },
      };
    integerPart = parts[0]!;
    fraction = parts[1]!;
  } else {
    integerPart = text;
    fraction = '';
  }
  if (!/\d/.test(integerPart + fraction))
    return { ok: false, reason: `"${input}" is not a valid amount`, code: 'parse.notAmount', params: { value: input } };
  if (integerPart === '') integerPart = '0';
  if (!/^\d+$/.test(integerPart) || !/^\d*$/.test(fraction)) {
    return { ok: false, reason: `"${input}" is not a valid amount`, code: 'parse.notAmount', params: { value: input } };
  }
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    return {
      ok: false,
      reason: `"${input}" has more than ${digits} decimals for ${currency}`,
      code: 'parse.decimals',
      params: { value: input, count: digits, currency },
    };
  }
  if (integerPart.replace(/^0+/, '').length > 13) {
    return { ok: false, reason: `"${input}" is too large`, code: 'parse.tooLarge', params: { value: input } };
  }
  const cents = Number(integerPart) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return { ok: true, value: negative && cents !== 0 ? -cents : cents };
}

/** Canonical machine form, `1234.56`, used in JSON and CSV exports. */
export function formatAmount(cents: Cents, currency = 'EUR'): string {
  const digits = minorDigits(currency);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

const displayFormats = new Map<string, Intl.NumberFormat>();

/**
 * Euros in French written directly, exactly as Intl writes them once its narrow no-break spaces are replaced
 * (a test compares the two over a sweep of amounts): Intl's formatting was the largest cost of a payment page
 * or a letter listing many invoices.
 */
function frenchEuros(cents: Cents): string {
  const abs = Math.abs(cents);
  let units = String(Math.floor(abs / 100));
  let grouped = '';
  while (units.length > 3) {
    grouped = `\u00a0${units.slice(-3)}${grouped}`;
    units = units.slice(0, -3);
  }
  const minor = abs % 100;
  return `${cents < 0 ? '-' : ''}${units}${grouped},${minor < 10 ? '0' : ''}${minor}\u00a0€`;
}

/** Human form in the reader's locale: `1 234,56 €` in French, `€1,234.56` in English. */
export function formatMoney(cents: Cents, currency = 'EUR', locale = 'fr-FR'): string {
  if (currency === 'EUR' && locale === 'fr-FR' && Number.isSafeInteger(cents)) return frenchEuros(cents);
  const key = `${locale}|${currency}`;
  let format = displayFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    displayFormats.set(key, format);
  }
  // Intl takes a decimal string exactly, so the float division never decides a cent.
  return format.format(formatAmount(cents, currency) as unknown as number).replace(/\u202f/g, '\u00a0');
}

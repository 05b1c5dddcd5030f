import { Temporal } from 'temporal-polyfill';
import type { ParseResult } from './money.ts';

/** A calendar date as `YYYY-MM-DD`; never a JS Date, which carries a time zone. */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRENCH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
// Imports see the same few hundred dates millions of times: validating each once keeps Temporal cheap.
const parsed = new Map<string, ParseResult<IsoDate>>();

/** Reads `YYYY-MM-DD` or the French `DD/MM/YYYY`; refuses dates that do not exist (31/02). */
export function parseDate(input: string): ParseResult<IsoDate> {
  const text = input.trim();
  let result = parsed.get(text);
  if (result) return result;
  const iso = ISO.exec(text);
  const fr = iso ? null : FRENCH.exec(text);
  if (!iso && !fr) {
    result = {
      ok: false,
      reason: `"${input}" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)`,
      code: 'parse.notDate',
      params: { value: input },
    };
  } else {
    const [year, month, day] = iso
      ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
      : [Number(fr![3]), Number(fr![2]), Number(fr![1])];
    try {
      const date = Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
      result =
        year < 1900 || year > 2999
          ? {
              ok: false,
              reason: `"${input}" is out of the supported years 1900-2999`,
              code: 'parse.yearRange',
              params: { value: input },
            }
          : { ok: true, value: date.toString() };
    } catch {
      result = {
        ok: false,
        reason: `"${input}" is not a real date`,
        code: 'parse.notRealDate',
        params: { value: input },
      };
    }
  }
  if (parsed.size < 100_000) parsed.set(text, result);
  return result;
}

export function isIsoDate(value: string): boolean {
  const result = parseDate(value);
  return result.ok && result.value === value;
}

// Plans and imports compute on the same few thousand dates millions of times: each date's day number
// (days since 1970-01-01) is computed once with Temporal, then differences are integer arithmetic.
const EPOCH = Temporal.PlainDate.from('1970-01-01');
const dayNumbers = new Map<string, number>();
const datesByNumber = new Map<number, IsoDate>();

function dayNumber(date: IsoDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = civilDayNumber(date) ?? EPOCH.until(Temporal.PlainDate.from(date), { largestUnit: 'days' }).days;
    if (dayNumbers.size > 200_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * The day number of a plain `YYYY-MM-DD` that exists, in integer arithmetic (the proleptic Gregorian calendar,
 * Temporal's ISO one): a fresh process's first plan meets thousands of dates, and Temporal objects for each
 * were most of its calendar cost. Anything else (another form, 31/02) is left to Temporal, to be read or refused.
 */
function civilDayNumber(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  let year = 0;
  for (let k = 0; k < 4; k++) {
    const digit = date.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return null;
    year = year * 10 + digit;
  }
  const m1 = date.charCodeAt(5) - 48;
  const m2 = date.charCodeAt(6) - 48;
  const d1 = date.charCodeAt(8) - 48;
  const d2 = date.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  // Days from civil (H. Hinnant): years start in March, so the leap day is the last of its year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The `YYYY-MM-DD` of a day number, the inverse of `civilDayNumber` (years 0-9999, else Temporal's form). */
function civilDate(n: number): IsoDate | null {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return null;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Calendar days from `from` to `to`: positive when `to` is later (J+1 is the day after). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const n = dayNumber(date) + days;
  let result = datesByNumber.get(n);
  if (result === undefined) {
    result = civilDate(n) ?? EPOCH.add({ days: n }).toString();
    if (datesByNumber.size > 200_000) datesByNumber.clear();
    datesByNumber.set(n, result);
    dayNumbers.set(result, n);
  }
  return result;
}

// Per time zone, the day last worked out and the instants it starts and ends at: the dispatcher asks for every batch
// of messages, and the zone's rules through Temporal cost more than the send-time check itself.
const days = new Map<string, { date: IsoDate; from: number; until: number }>();

/** Today's date where the company is, not where the server is. */
export function todayIn(timeZone: string): IsoDate {
  const now = Date.now();
  const known = days.get(timeZone);
  // Checked against both ends: a clock set back (or a test's fake clock) must not keep a later day.
  if (known && now >= known.from && now < known.until) return known.date;
  const date = Temporal.Now.plainDateISO(timeZone);
  const from = date.toZonedDateTime(timeZone).epochMilliseconds;
  const until = date.add({ days: 1 }).toZonedDateTime(timeZone).epochMilliseconds;
  if (days.size > 1_000) days.clear();
  days.set(timeZone, { date: date.toString(), from, until });
  return date.toString();
}

/** The date an instant (ISO timestamp) falls on where the company is: 23:30 in Paris is still that day there. */
export function dayOfInstantIn(instant: string, timeZone: string): IsoDate {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.plainDateISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

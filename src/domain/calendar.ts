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
    n = EPOCH.until(Temporal.PlainDate.from(date), { largestUnit: 'days' }).days;
    if (dayNumbers.size > 200_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

/** Calendar days from `from` to `to`: positive when `to` is later (J+1 is the day after). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const n = dayNumber(date) + days;
  let result = datesByNumber.get(n);
  if (result === undefined) {
    result = EPOCH.add({ days: n }).toString();
    if (datesByNumber.size > 200_000) datesByNumber.clear();
    datesByNumber.set(n, result);
    dayNumbers.set(result, n);
  }
  return result;
}

/** Today's date where the company is, not where the server is. */
export function todayIn(timeZone: string): IsoDate {
  return Temporal.Now.plainDateISO(timeZone).toString();
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.plainDateISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

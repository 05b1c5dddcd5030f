import { Temporal } from 'temporal-polyfill';
import { addDays, type IsoDate } from '../../domain/calendar.ts';

/** Easter Sunday of a year (anonymous Gregorian algorithm). */
function easter(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Temporal.PlainDate.from({ year, month, day }).toString();
}

/**
 * Whether SEPA settles on that day: a TARGET2 business day, i.e. not a Saturday or Sunday, nor
 * 1 January, Good Friday, Easter Monday, 1 May, 25 or 26 December. A collection requested for another
 * day is refused by banks or moved; relance asks for a settlement day instead.
 */
export function isTargetDay(date: IsoDate): boolean {
  const day = Temporal.PlainDate.from(date);
  if (day.dayOfWeek >= 6) return false;
  const monthDay = date.slice(5);
  if (['01-01', '05-01', '12-25', '12-26'].includes(monthDay)) return false;
  const sunday = easter(day.year);
  return date !== addDays(sunday, -2) && date !== addDays(sunday, 1);
}

export function nextTargetDay(date: IsoDate): IsoDate {
  let next = date;
  while (!isTargetDay(next)) next = addDays(next, 1);
  return next;
}

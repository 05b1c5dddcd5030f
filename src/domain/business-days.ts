import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import type { IsoDate } from './calendar.ts';

export type WorkingDayRule = { country: string; skipWeekends: boolean; skipHolidays: boolean };

const calendars = new Map<string, Holidays>();

function holidaysOf(country: string): Holidays {
  let calendar = calendars.get(country);
  if (!calendar) {
    calendar = new Holidays(country);
    calendars.set(country, calendar);
  }
  return calendar;
}

/** The public holiday's name on that date in the country (only days off by law, not observances). */
export function publicHoliday(date: IsoDate, country: string): string | null {
  const found = holidaysOf(country).isHoliday(date);
  if (!found) return null;
  return found.find((h) => h.type === 'public')?.name ?? null;
}

/** Whether an automatic run may send on this date: reminders dated a Sunday or 25 December look careless. */
export function isWorkingDay(date: IsoDate, rule: WorkingDayRule): boolean {
  if (rule.skipWeekends && Temporal.PlainDate.from(date).dayOfWeek >= 6) return false;
  if (rule.skipHolidays && publicHoliday(date, rule.country) !== null) return false;
  return true;
}

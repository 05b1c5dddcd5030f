import { Temporal } from 'temporal-polyfill';
import { addDays, type IsoDate } from '../../domain/calendar.ts';

function endOfMonth(date: IsoDate): IsoDate {
  const day = Temporal.PlainDate.from(date);
  return day.with({ day: day.daysInMonth }).toString();
}

/**
 * The due date a payment-terms text (BT-20) gives from the issue date, or null when the text says none
 * we can read. Covers how French and English invoices write it: "30 jours", "45 jours fin de mois",
 * "fin de mois", "à réception", "comptant", "net 30", "30 days end of month", "due on receipt".
 * "N jours fin de mois" is read as N days, then the end of that month (the usual reading in France).
 */
export function dueDateFromTerms(terms: string, issueDate: IsoDate): IsoDate | null {
  const text = terms
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  if (/\b(a|des|upon|on|due on)\s+reception\b|\bcomptant\b|\bupon receipt\b|\bon receipt\b|\bimmediate/.test(text)) {
    return issueDate;
  }
  const endOfMonthWords = /fin de mois|\bfdm\b|end of (the )?month|\beom\b/;
  const days = /(\d{1,3})\s*(?:jours?|j\b|days?\b)/.exec(text) ?? /\bnet\s*(\d{1,3})\b/.exec(text);
  if (days) {
    const due = addDays(issueDate, Number(days[1]));
    return endOfMonthWords.test(text) ? endOfMonth(due) : due;
  }
  if (endOfMonthWords.test(text)) return endOfMonth(issueDate);
  return null;
}

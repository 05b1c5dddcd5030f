/**
 * What a person types as a date: 15/03/2026 (or 15/3/26, 15.03.2026) as the app writes dates, or the
 * ISO 2026-03-15 a paste may hold; the 'YYYY-MM-DD' string, or null when it is not a real date.
 */
export function parseTypedDate(text: string): string | null {
  const trimmed = text.trim();
  let year: number, month: number, day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(trimmed);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (french) {
    [day, month, year] = [Number(french[1]), Number(french[2]), Number(french[3])];
    if (french[3]!.length === 2) year += 2000;
  } else return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || year < 1900 || year > 2999) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

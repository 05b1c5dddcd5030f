const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `15/03/2026` in French, `15 March 2026` in English, from the 'YYYY-MM-DD' string itself (no time zone). Pure: the web app uses it too. */
export function formatIsoDate(iso: string, language: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return language === 'en' ? `${Number(day)} ${ENGLISH_MONTHS[Number(month) - 1]} ${year}` : `${day}/${month}/${year}`;
}

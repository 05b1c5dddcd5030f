import type { IsoDate } from '../domain/calendar.ts';
import type { Address, Language } from '../domain/ledger.ts';
import { formatMoney, type Cents } from '../domain/money.ts';
import type { ContextAddress, MoneyText } from './message-context.ts';
import { ENGLISH_MONTHS } from '../domain/month-names.ts';

/** `15/03/2026` in French, `15 March 2026` in English: built from the string, no time zone involved. */
export function formatDateText(date: IsoDate, language: Language): string {
  const [year, month, day] = date.split('-');
  if (language === 'en') return `${Number(day)} ${ENGLISH_MONTHS[Number(month) - 1]} ${year}`;
  return `${day}/${month}/${year}`;
}

/** `1 234,56 €` (no-break spaces, which every PDF font has) in French, `€1,234.56` in English. */
export function moneyText(cents: Cents, currency: string, language: Language): MoneyText {
  return { cents, text: formatMoney(cents, currency, language === 'en' ? 'en-GB' : 'fr-FR') };
}

const COUNTRY_NAMES: Record<Language, Intl.DisplayNames> = {
  fr: new Intl.DisplayNames(['fr'], { type: 'region' }),
  en: new Intl.DisplayNames(['en'], { type: 'region' }),
};

// Names by language and code: ICU's look-up was a tenth of each message context of a run (two addresses each).
const countryNames = new Map<string, string>();

function countryName(code: string, language: Language): string {
  const key = `${language}${code}`;
  let name = countryNames.get(key);
  if (name === undefined) {
    name = COUNTRY_NAMES[language].of(code.toUpperCase()) ?? code;
    // Codes come from the ledger: a bounded map all the same, should one hold every string ever typed.
    if (countryNames.size >= 1_000) countryNames.clear();
    countryNames.set(key, name);
  }
  return name;
}

/**
 * An address ready to print: street lines, then postcode and city, then the country in capitals (as La
 * Poste asks) only when it differs from the sender's.
 */
export function contextAddress(address: Address, senderCountry: string, language: Language): ContextAddress {
  const lines = [address.line1, address.line2].filter((l): l is string => Boolean(l?.trim()));
  const cityLine = [address.postcode, address.city].filter(Boolean).join(' ');
  const foreign = address.country && address.country.toUpperCase() !== senderCountry.toUpperCase();
  const country = address.country ? countryName(address.country, language) : null;
  const block = [...lines, ...(cityLine ? [cityLine] : []), ...(foreign && country ? [country.toUpperCase()] : [])];
  return {
    lines,
    postcode: address.postcode,
    city: address.city,
    country,
    countryCode: address.country ? address.country.toUpperCase() : null,
    block,
  };
}

/** What the customer writes on a transfer: the invoice numbers while they fit a bank's reference field. */
const MAX_TRANSFER_REFERENCE = 35;

export function transferReference(numbers: string[], customerCode: string): string {
  const joined = numbers.join(' ');
  return numbers.length > 0 && joined.length <= MAX_TRANSFER_REFERENCE ? joined : customerCode;
}

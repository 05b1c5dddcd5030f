import type { CustomerKind } from '../ledger.ts';

/**
 * Which late-payment law governs an invoice. Between businesses the contract's law is normally the seller's
 * (Rome I, art. 4: the law of the country of the party providing the goods or services); a customer whose
 * contract chose another law carries it ("loi applicable"). A consumer keeps the protection of the law of their
 * own country (Rome I, art. 6) where relance knows its rule, else the seller's law applies.
 * 'EU' is the directive 2011/7/EU as every member state transposed it (ECB + 8 points, 40 €).
 */
export type Law = 'FR' | 'DE' | 'GB' | 'EU';
export const LAWS: readonly Law[] = ['FR', 'DE', 'GB', 'EU'];

export function isLaw(value: string): value is Law {
  return (LAWS as readonly string[]).includes(value);
}

/** The law relance applies for a country's own rules: France, Germany, the UK; the directive elsewhere. */
export function lawOfCountry(country: string | null | undefined): Law {
  const code = (country ?? '').toUpperCase();
  if (code === 'FR' || code === 'DE') return code;
  if (code === 'GB' || code === 'UK') return 'GB';
  return 'EU';
}

export type LawInput = {
  sellerCountry: string;
  customerCountry: string | null;
  customerKind: CustomerKind;
  /** The customer's "loi applicable", when its contract chose one. */
  customerLaw?: string | null;
};

export function applicableLaw(input: LawInput): Law {
  if (input.customerLaw && isLaw(input.customerLaw)) return input.customerLaw;
  const seller = lawOfCountry(input.sellerCountry);
  if (input.customerKind === 'company') return seller;
  const consumer = lawOfCountry(input.customerCountry);
  return consumer === 'EU' ? seller : consumer;
}

const EU_MEMBERS = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
]);

/**
 * The court step a formal notice announces, by where the debtor is: the injonction de payer in France, a county
 * court claim in the UK, the Mahnverfahren in Germany, the European order for payment (Regulation (EC)
 * No 1896/2006) for a debt between two EU member states, else proceedings before the competent court.
 */
export type NextStep = 'fr_injunction' | 'uk_county_court' | 'de_mahnverfahren' | 'eu_order' | 'court';

export function nextStepFor(sellerCountry: string, debtorCountry: string | null): NextStep {
  const seller = sellerCountry.toUpperCase();
  const debtor = (debtorCountry ?? seller).toUpperCase();
  if (debtor === 'GB' || debtor === 'UK') return 'uk_county_court';
  if (debtor !== seller && EU_MEMBERS.has(debtor) && EU_MEMBERS.has(seller)) return 'eu_order';
  if (debtor === 'FR') return 'fr_injunction';
  if (debtor === 'DE') return 'de_mahnverfahren';
  return 'court';
}

/**
 * The longest text each field may hold, the same for the API's JSON bodies and the CSV import's cells
 * (by the import's normalised column name), so a file cannot store what the API would refuse.
 */
export const FIELD_LIMITS: Record<string, number> = {
  code: 50,
  customer: 50,
  customer_code: 50,
  number: 50,
  invoice: 50,
  invoice_number: 50,
  name: 200,
  title: 200,
  payment_terms: 200,
  reference: 200,
  email: 320,
  phone: 50,
  sales_rep: 100,
  siren: 20,
  siret: 20,
  vat_number: 20,
  iban: 50,
  bic: 20,
  reason: 500,
  notes: 2000,
};

/** A cell of a column not listed: the longest text field the API accepts. */
export const LONGEST_FIELD = 2000;

export function fieldLimit(column: string): number {
  return FIELD_LIMITS[column] ?? LONGEST_FIELD;
}

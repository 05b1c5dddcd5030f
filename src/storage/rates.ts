import type { SeriesKey } from '../domain/late-payment/rate-data.ts';
import type { CompanyRate } from '../domain/late-payment/rates.ts';
import { isLaw, type Law } from '../domain/late-payment/law.ts';
import { AppError } from '../shared/errors.ts';
import { nowIso, type Db } from './database.ts';

// The plan thread reads rates without loading this module's writers (and through them the store's opening).
export { listCompanyRates } from './rate-reads.ts';

/** Records (or replaces) the company's value of a series from a date. */
export async function saveCompanyRate(
  db: Db,
  companyId: string,
  rate: CompanyRate,
  createdBy: string | null,
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('late_payment_rates')
    .values({
      company_id: companyId,
      series: rate.series,
      effective_from: rate.from,
      rate_bp: rate.bp,
      source: rate.source,
      created_by: createdBy,
      created_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['company_id', 'series', 'effective_from'])
        .doUpdateSet({ rate_bp: rate.bp, source: rate.source, created_by: createdBy, created_at: now }),
    )
    .execute();
}

/** Removes the company's value of a series on a date (the shipped value, if any, applies again). */
export async function deleteCompanyRate(db: Db, companyId: string, series: SeriesKey, from: string): Promise<boolean> {
  const result = await db
    .deleteFrom('late_payment_rates')
    .where('company_id', '=', companyId)
    .where('series', '=', series)
    .where('effective_from', '=', from)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The company's country (the seller's law by default) and the laws its customers carry or live under. */
export async function lawFacts(
  db: Db,
  companyId: string,
): Promise<{ sellerCountry: string; customerCountries: string[]; customerLaws: string[] }> {
  const company = await db.selectFrom('companies').select('country').where('id', '=', companyId).executeTakeFirst();
  if (!company)
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  const countries = await db
    .selectFrom('customers')
    .select(['country', 'kind', 'governing_law'])
    .distinct()
    .where('company_id', '=', companyId)
    .execute();
  return {
    sellerCountry: company.country,
    // A business customer follows the seller's law: only consumers' countries can bring another one.
    customerCountries: [...new Set(countries.filter((c) => c.kind === 'individual').map((c) => c.country))],
    customerLaws: [...new Set(countries.map((c) => c.governing_law).filter((l): l is string => l !== null))],
  };
}

/** A customer's "loi applicable", or null when it follows the default rule. */
export async function getCustomerLaw(db: Db, companyId: string, customerId: string): Promise<Law | null> {
  const row = await db
    .selectFrom('customers')
    .select('governing_law')
    .where('company_id', '=', companyId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  const law = row?.governing_law ?? null;
  return law !== null && isLaw(law) ? law : null;
}

/** Sets (null: clears) a customer's law; its invoices go back to the planner, whose charges change. */
export async function setCustomerLaw(db: Db, companyId: string, customerId: string, law: Law | null): Promise<void> {
  await db
    .updateTable('customers')
    .set({ governing_law: law, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', customerId)
    .execute();
  await db
    .updateTable('invoices')
    .set({ next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .execute();
}

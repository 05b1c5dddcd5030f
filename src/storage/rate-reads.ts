import type { SeriesKey } from '../domain/late-payment/rate-data.ts';
import type { CompanyRate } from '../domain/late-payment/rates.ts';
import type { Db } from './database.ts';

/** The late-payment rates the company entered, by series and date. */
export async function listCompanyRates(db: Db, companyId: string): Promise<CompanyRate[]> {
  const rows = await db
    .selectFrom('late_payment_rates')
    .select(['series', 'effective_from', 'rate_bp', 'source'])
    .where('company_id', '=', companyId)
    .orderBy('series')
    .orderBy('effective_from')
    .execute();
  return rows.map((r) => ({ series: r.series as SeriesKey, from: r.effective_from, bp: r.rate_bp, source: r.source }));
}

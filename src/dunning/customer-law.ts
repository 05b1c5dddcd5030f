import { isLaw } from '../domain/late-payment/law.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { setCustomerLaw } from '../storage/rates.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * Sets a customer's "loi applicable" (FR, DE, GB, EU), for a contract that chose another law than the seller's;
 * `default` (or null) goes back to the rule: the seller's law for a business, the consumer's own where known.
 */
export async function setCustomerLawByCode(db: Db, companyId: string, code: string, law: string | null): Promise<void> {
  const value = law === null || law.trim().toLowerCase() === 'default' ? null : law.trim().toUpperCase();
  if (value !== null && !isLaw(value)) {
    throw new AppError(
      'invalid_input',
      `"${law}" is not a late-payment law (use FR, DE, GB, EU or default)`,
      [{ field: 'law', value: law ?? '', reason: 'unknown law', code: 'reason.unknownLaw' }],
      { key: 'problem.dunning.unknownLaw', params: { value: law ?? '' } },
    );
  }
  await inTransaction(db, async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', companyId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!customer)
      throw new AppError('not_found', `No customer with code ${code}.`, [], {
        key: 'problem.notFound.customerCode',
        params: { code },
      });
    await setCustomerLaw(trx, companyId, customer.id, value);
  });
}

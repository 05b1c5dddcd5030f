import type { Company } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { checkCompanyInput, updateCompany as writeCompany, type CompanyInput } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Changes the actor's company settings (only the fields given), with its audit row naming the fields. */
export async function updateCompany(db: Db, actor: Actor, input: Partial<CompanyInput>): Promise<Company> {
  return inTransaction(db, async (trx) => {
    const updated = await writeCompany(trx, actor.companyId, input);
    await auditBy(trx, actor, 'company.updated', actor.companyId, { fields: Object.keys(input) });
    return updated;
  });
}

/** Refuses a company setting as saving it would (bank details, identifiers), without saving anything. */
export function checkCompanySettings(input: Partial<CompanyInput>): void {
  checkCompanyInput(input);
}

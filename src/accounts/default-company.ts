import type { Company } from '../domain/ledger.ts';
import { operatorIn, type Operator } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { findDefaultCompany, insertDefaultCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * The company a command works in when none is named. A fresh database gets one ('Ma société') on its first
 * command, with its `company.created` audit row in the same transaction; of racing first starts only the one that
 * made it writes the row.
 */
export async function openDefaultCompany(db: Db, operator: Operator): Promise<Company> {
  const existing = await findDefaultCompany(db);
  if (existing) return existing;
  return inTransaction(db, async (trx) => {
    const { company, created } = await insertDefaultCompany(trx);
    if (created) await auditBy(trx, operatorIn(company.id, operator), 'company.created', company.id);
    return company;
  });
}

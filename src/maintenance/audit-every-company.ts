import { operatorIn, type Operator } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { listCompanies } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

/**
 * One audit row in each company's log for a change to the whole database (a migration, a restore): the audit log
 * is kept per company, and every company's administrator should see what happened to its data.
 */
export async function auditEveryCompany(db: Db, operator: Operator, action: string, details: unknown): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const company of await listCompanies(trx))
      await auditBy(trx, operatorIn(company.id, operator), action, null, details);
  });
}

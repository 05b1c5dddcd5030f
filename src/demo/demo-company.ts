import { sql } from 'kysely';
import type { Company } from '../domain/ledger.ts';
import { AppError } from '../shared/errors.ts';
import { getCompany, updateCompany, type CompanyInput } from '../storage/companies.ts';
import { hasCustomers } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { auditBy } from '../storage/audit.ts';
import { inTransaction } from '../storage/transactions.ts';
import type { Actor } from '../shared/actor.ts';

/**
 * The identity of the demo company: complete, so every screen and every send works on the demo, and
 * recognisably fictitious (example SIRET of the INSEE documentation, IBAN of the EPC examples).
 */
export const DEMO_IDENTITY: Partial<CompanyInput> = {
  legalName: 'Démo Distribution',
  legalForm: 'SAS',
  shareCapital: 5_000_000,
  siret: '73282932000074',
  rcs: 'RCS Lyon 732 829 320',
  siren: '732829320',
  vatNumber: 'FR44732829320',
  phone: '04 72 00 00 00',
  address: { line1: '12 rue de la République', line2: null, postcode: '69002', city: 'Lyon', country: 'FR' },
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPPXXX',
  senderName: 'Démo Distribution — Comptabilité',
  senderEmail: 'comptabilite@demo-distribution.fr',
  demoData: true,
};

/** The tables holding a company's ledger and what came of it; its settings, users and templates stay. */
const LEDGER_TABLES = [
  'customer_activities',
  'instalment_reminders',
  'quote_reminders',
  'bank_lines',
  'direct_debits',
  'sepa_mandates',
  'einvoice_statuses',
  'documents',
  'outbox',
  'reminders',
  'communications',
  'runs',
  'imports',
  'instalments',
  'payment_schedules',
  'quotes',
  'allocations',
  'payments',
  'credit_notes',
  'invoice_files',
  'invoices',
  'contacts',
  'customers',
] as const;

/** Gives the company the demo identity and marks its ledger as demonstration data. */
export async function markDemoCompany(db: Db, companyId: string): Promise<Company> {
  return updateCompany(db, companyId, DEMO_IDENTITY);
}

/**
 * Deletes the demonstration ledger (customers, invoices, payments, reminders, e-mails, documents) and the
 * demo identity, leaving an empty company to set up for real, with its audit row, all or nothing. Refused on a
 * company whose data is real.
 */
export async function purgeDemoData(db: Db, actor: Actor): Promise<void> {
  const { companyId } = actor;
  await inTransaction(db, async (trx) => {
    const company = await getCompany(trx, companyId);
    if (!company.demoData)
      throw new AppError('conflict', 'This company holds real data, not demonstration data: nothing was deleted.', [], {
        key: 'problem.demo.realData',
      });
    for (const table of LEDGER_TABLES) {
      await sql`delete from ${sql.table(table)} where company_id = ${companyId}`.execute(trx);
    }
    await clearIdentity(trx, companyId);
    await auditBy(trx, actor, 'demo.purged', companyId);
  });
}

async function clearIdentity(db: Db, companyId: string): Promise<void> {
  await updateCompany(db, companyId, {
    legalName: 'Ma société',
    legalForm: null,
    shareCapital: null,
    siret: null,
    rcs: null,
    siren: null,
    vatNumber: null,
    phone: null,
    iban: null,
    bic: null,
    senderName: null,
    senderEmail: null,
    demoData: false,
    address: { line1: null, line2: null, postcode: null, city: null },
  });
}

/** True when some company holds customers that are not demonstration data: a real ledger. */
export async function holdsRealData(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .innerJoin('companies', 'companies.id', 'customers.company_id')
    .select('customers.id')
    .where('companies.demo_data', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** True while the company has no customer: the demo's ledger is still to be loaded. */
export async function demoNeedsLoading(db: Db, companyId: string): Promise<boolean> {
  return !(await hasCustomers(db, companyId));
}

import { identityGaps } from '../domain/identity.ts';
import { configuredSender, getMailSettings, smtpUrlOf } from '../mail/settings.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';

/** The steps from an empty installation to the first real reminders, in the order `relance setup` asks them. */
export type SetupStepKey = 'admin' | 'identity' | 'smtp' | 'policy' | 'import';
export type SetupStep = { key: SetupStepKey; done: boolean; missing: string[] };
export type SetupChecklist = { done: boolean; demo: boolean; steps: SetupStep[] };

/**
 * Where a company stands in its set-up, read from its data (nothing is ticked by hand): an administrator,
 * the identity letters and e-mails need, an SMTP server with a sender, a dunning policy of its own, and
 * customers imported. The web app shows it on the dashboard until every step is done.
 */
export async function setupChecklist(db: Db, companyId: string): Promise<SetupChecklist> {
  const [company, settings, admin, policy, customer] = await Promise.all([
    getCompany(db, companyId),
    getMailSettings(db, companyId),
    db
      .selectFrom('memberships')
      .select('user_id')
      .where('company_id', '=', companyId)
      .where('role', '=', 'admin')
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('policies').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst(),
    db.selectFrom('customers').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst(),
  ]);
  const identityMissing: string[] = [
    ...identityGaps(company, 'x@y.fr', { letter: true, email: false, transfer: true }),
  ];
  if (!company.siren && !company.siret) identityMissing.push('siret');
  if (company.legalName.trim() === '' || company.legalName === 'Ma société') identityMissing.push('legalName');
  const smtpMissing: string[] = [];
  if (smtpUrlOf(settings) === null) smtpMissing.push('smtp');
  if (identityGaps(company, configuredSender(settings), { letter: false, email: true, transfer: false }).length > 0) {
    smtpMissing.push('senderEmail');
  }
  const steps: SetupStep[] = [
    { key: 'admin', done: admin !== undefined, missing: admin ? [] : ['admin'] },
    { key: 'identity', done: identityMissing.length === 0, missing: identityMissing },
    { key: 'smtp', done: smtpMissing.length === 0, missing: smtpMissing },
    { key: 'policy', done: policy !== undefined, missing: policy ? [] : ['policy'] },
    {
      key: 'import',
      done: customer !== undefined && !company.demoData,
      missing: customer && !company.demoData ? [] : ['customers'],
    },
  ];
  return { done: steps.every((s) => s.done), demo: company.demoData === true, steps };
}

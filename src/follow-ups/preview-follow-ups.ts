import { todayIn, type IsoDate } from '../domain/calendar.ts';
import type { Actor } from '../shared/actor.ts';
import { getCompany } from '../storage/companies.ts';
import { customerCodesOfSalesRep } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { runFollowUps, type FollowUpReport } from './run-follow-ups.ts';

/**
 * The quote follow-ups and instalment reminders a day would send (today in the company's zone by default), queuing
 * nothing; a collector restricted to a représentant sees only its customers'.
 */
export async function previewFollowUps(db: Db, actor: Actor, date?: IsoDate): Promise<FollowUpReport> {
  const day = date ?? todayIn((await getCompany(db, actor.companyId)).timeZone);
  const report = await runFollowUps(db, actor.companyId, { date: day, dryRun: true });
  if (actor.salesRep === null) return report;
  const own = await customerCodesOfSalesRep(db, actor.companyId, actor.salesRep);
  return {
    ...report,
    quotes: report.quotes.filter((q) => own.has(q.customer)),
    instalments: report.instalments.filter((i) => own.has(i.customer)),
  };
}

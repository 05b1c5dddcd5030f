import { todayIn, type IsoDate } from '../domain/calendar.ts';
import type { Actor } from '../shared/actor.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { previewFollowUps } from './preview-follow-ups.ts';
import { runFollowUps, type FollowUpReport } from './run-follow-ups.ts';

/**
 * The quote follow-ups and instalment reminders due on a day (today in the company's zone by default), queued on
 * the actor's request with an audit row for each message in its transaction; with `dryRun`, what would be queued.
 */
export async function queueFollowUps(
  db: Db,
  actor: Actor,
  input: { date?: IsoDate; dryRun?: boolean },
): Promise<FollowUpReport> {
  if (input.dryRun) return previewFollowUps(db, actor, input.date);
  const date = input.date ?? todayIn((await getCompany(db, actor.companyId)).timeZone);
  return runFollowUps(db, actor.companyId, { date, actor });
}

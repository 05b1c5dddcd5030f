import { todayIn } from '../domain/calendar.ts';
import type { Company } from '../domain/ledger.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';

/** The company the caller works in, with its settings; every member may read them. */
export async function viewCompany(db: Db, companyId: string): Promise<Company> {
  return getCompany(db, companyId);
}

/** The company's date today, in its own time zone (what "today" means for lateness, reports and runs). */
export async function companyDate(db: Db, companyId: string): Promise<string> {
  return todayIn((await getCompany(db, companyId)).timeZone);
}

// The company's time zone, read once a minute at most, and its date worked out once a second at most
// (the Temporal polyfill's time zone arithmetic is not free): listing invoices is the hottest route.
const zones = new Map<string, { zone: string; at: number; today: string; todayAt: number }>();

/** As companyDate, cached: a change of time zone is seen within a minute. */
export async function companyToday(db: Db, companyId: string): Promise<string> {
  const now = Date.now();
  let cached = zones.get(companyId);
  if (!cached || now - cached.at >= 60_000) {
    const zone = (await getCompany(db, companyId)).timeZone;
    cached = { zone, at: now, today: todayIn(zone), todayAt: now };
    zones.set(companyId, cached);
  } else if (now - cached.todayAt >= 1_000) {
    cached.today = todayIn(cached.zone);
    cached.todayAt = now;
  }
  return cached.today;
}

import { EventEmitter } from 'node:events';
import { Temporal } from 'temporal-polyfill';
import { isWorkingDay } from '../domain/business-days.ts';
import type { Company } from '../domain/ledger.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCompany, updateCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';

type Automation = Company['automation'];
export type AutomationView = Automation & { nextRunAt: string | null };

// Schedulers of this process listen, so a change made through the API is scheduled at once, not at their next re-read.
const changes = new EventEmitter();
export function onAutomationChanged(listener: () => void): () => void {
  changes.on('changed', listener);
  return () => changes.off('changed', listener);
}

/**
 * When the next automatic run starts, as an ISO date-time with the company's offset: the next working day
 * (weekends and public holidays skipped when asked) at its time; null while automatic mode is off.
 */
export function nextAutomaticRun(company: Company, now: Temporal.Instant = Temporal.Now.instant()): string | null {
  const { automation } = company;
  if (!automation.enabled) return null;
  const [hour, minute] = automation.time.split(':').map(Number) as [number, number];
  const rule = {
    country: company.address.country,
    skipWeekends: automation.skipWeekends,
    skipHolidays: automation.skipHolidays,
  };
  let day = now.toZonedDateTimeISO(company.timeZone).toPlainDate();
  for (let i = 0; i < 370; i++, day = day.add({ days: 1 })) {
    const at = day.toZonedDateTime({ timeZone: company.timeZone, plainTime: new Temporal.PlainTime(hour, minute) });
    if (Temporal.Instant.compare(at.toInstant(), now) > 0 && isWorkingDay(day.toString(), rule)) {
      return at.toString({ timeZoneName: 'never', smallestUnit: 'minute' });
    }
  }
  return null;
}

export async function automationOf(db: Db, companyId: string): Promise<AutomationView> {
  const company = await getCompany(db, companyId);
  return { ...company.automation, nextRunAt: nextAutomaticRun(company) };
}

/** Changes automatic mode (audited); the schedulers of this process take it into account at once. */
export async function changeAutomation(
  db: Db,
  actor: { companyId: string; userId: string | null; name: string },
  patch: Partial<Automation>,
): Promise<AutomationView> {
  const company = await inTransaction(db, async (trx) => {
    const updated = await updateCompany(trx, actor.companyId, { automation: patch });
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: 'automation.updated',
      target: actor.companyId,
      details: patch,
    });
    return updated;
  });
  changes.emit('changed');
  return { ...company.automation, nextRunAt: nextAutomaticRun(company) };
}

import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { buildPlan, type Plan } from '../domain/dunning/engine.ts';
import { getCompany } from '../storage/companies.ts';
import { listCustomers } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { listReminders, type ReminderHistoryItem } from '../storage/dunning.ts';
import { loadDunningInputs } from './load-inputs.ts';
import { planDunning, type PlanWithCharges } from './run-dunning.ts';

type Who = { companyId: string; salesRep: string | null };

/** The codes of the customers a restricted collector sees; null for whoever sees them all. */
async function visibleCodes(db: Db, who: Who): Promise<Set<string> | null> {
  if (who.salesRep === null) return null;
  return new Set(
    (await listCustomers(db, who.companyId, { salesRep: who.salesRep, limit: 1_000_000 })).map((c) => c.code),
  );
}

/**
 * The simulation of a run on a date (today in the company's time zone by default), changing nothing. A collector
 * restricted to a représentant gets the plan of its own customers only, summary included.
 */
export async function planFor(
  db: Db,
  who: Who,
  input: { date?: IsoDate; customerCode?: string },
): Promise<PlanWithCharges | Plan> {
  const date = input.date ?? todayIn((await getCompany(db, who.companyId)).timeZone);
  const codes = await visibleCodes(db, who);
  if (codes === null) return planDunning(db, who.companyId, { date, customerCode: input.customerCode });
  const inputs = (await loadDunningInputs(db, who.companyId, { customerCode: input.customerCode })).filter((i) =>
    codes.has(i.invoice.customerCode),
  );
  return buildPlan(inputs, date);
}

/** The reminders sent ("Relances envoyées"), by invoice and level, of the customers the caller sees. */
export async function listSentReminders(
  db: Db,
  who: Who,
  filter: { invoiceNumber?: string; customerCode?: string } = {},
): Promise<ReminderHistoryItem[]> {
  const items = await listReminders(db, who.companyId, filter);
  const codes = await visibleCodes(db, who);
  return codes === null ? items : items.filter((r) => codes.has(r.customer));
}

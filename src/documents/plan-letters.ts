import type { ContextRequest } from '../communications/load-context.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { planDunning } from '../dunning/run-dunning.ts';
import type { Db } from '../storage/database.ts';
import { invoiceIdsByNumber } from '../storage/invoices.ts';

/** What a run on `date` would send at `level` (every level when none; every channel): letters printed ahead from the plan. */
export async function planLetterRequests(
  db: Db,
  companyId: string,
  options: { date: IsoDate; level?: number; customerCode?: string },
): Promise<ContextRequest[]> {
  const plan = await planDunning(db, companyId, { date: options.date, customerCode: options.customerCode });
  const chosen = plan.communications.filter((c) => options.level === undefined || c.level === options.level);
  const numbers = [...new Set(chosen.flatMap((c) => c.invoices.map((i) => i.invoice)))];
  const ids = await invoiceIdsByNumber(db, companyId, numbers);
  return chosen.map((c) => ({
    customerId: c.customerId,
    invoiceIds: c.invoices.map((i) => ids.get(i.invoice)!),
    level: c.level,
    date: options.date,
  }));
}

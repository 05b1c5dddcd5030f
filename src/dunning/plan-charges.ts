import type { IsoDate } from '../domain/calendar.ts';
import type { Plan } from '../domain/dunning/engine.ts';
import { formalNoticeLevels } from '../domain/dunning/policy.ts';
import { invoiceChargesOrNotes } from '../domain/late-payment/charges.ts';
import { formatAmount } from '../domain/money.ts';
import type { Db } from '../storage/database.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { groupBy } from '../shared/group-by.ts';
import type { LoadedInput } from './load-inputs.ts';

export type ItemCharges = { interest: string | null; indemnity: string | null; currency: string; notes: string[] };

/**
 * Late-payment charges of each late invoice of a plan, by the law of the customer's country and kind:
 * interest follows the balance payment by payment; a consumer's interest runs from the formal notice.
 */
export async function chargesForPlan(db: Db, companyId: string, plan: Plan, inputs: LoadedInput[]):
  Promise<Map<string, ItemCharges>> {
  const late = new Set(plan.items.filter((i) => i.daysOverdue > 0).map((i) => i.invoice));
  const concerned = inputs.filter((input) => late.has(input.invoice.number) && (input.policy.charges?.enabled ?? true));
  const result = new Map<string, ItemCharges>();
  if (concerned.length === 0) return result;
  // Only partly paid invoices have allocations to read; one pass over them beats many IN lists once the
  // plan is large.
  const partlyPaid = concerned.filter((c) => c.invoice.allocated > 0);
  let query = db.selectFrom('allocations as a')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'a.company_id').onRef('i.id', '=', 'a.invoice_id'))
    .select(['a.invoice_id', 'a.date', 'a.amount'])
    .where('a.company_id', '=', companyId).where(isOpenInvoice('i')).where('i.allocated', '>', 0);
  if (partlyPaid.length <= 500) query = query.where('a.invoice_id', 'in', partlyPaid.map((c) => c.invoiceId));
  const payments = partlyPaid.length === 0 ? new Map<string, { date: IsoDate; amount: number }[]>()
    : groupBy(await query.execute(), (row) => row.invoice_id,
      (row): { date: IsoDate; amount: number } => ({ date: row.date, amount: row.amount }));
  for (const input of concerned) {
    const { invoice, policy } = input;
    const noticeLevels = formalNoticeLevels(policy);
    let notice: IsoDate | null = null;
    for (const r of input.reminders) if (noticeLevels.has(r.level) && (notice === null || r.date < notice)) notice = r.date;
    const outcome = invoiceChargesOrNotes({
      country: input.customerCountry, customerKind: input.customerKind, amount: invoice.total,
      payments: payments.get(input.invoiceId) ?? [], dueDate: invoice.dueDate, asOf: plan.date,
      formalNoticeDate: notice, contractRate: policy.charges?.contractRate ?? null,
    }, invoice.currency);
    result.set(invoice.number, 'charges' in outcome
      ? { interest: formatAmount(outcome.charges.interest, outcome.charges.currency),
        indemnity: formatAmount(outcome.charges.indemnity, outcome.charges.currency), currency: outcome.charges.currency,
        notes: outcome.charges.notes }
      : { interest: null, indemnity: null, currency: invoice.currency, notes: outcome.notes });
  }
  return result;
}

import type { IsoDate } from '../domain/calendar.ts';
import type { Plan } from '../domain/dunning/engine.ts';
import { formalNoticeLevels } from '../domain/dunning/policy.ts';
import { invoiceChargesOrNotes } from '../domain/late-payment/charges.ts';
import { formatAmount } from '../domain/money.ts';
import { AppError } from '../shared/errors.ts';
import type { LoadedInput } from './load-inputs.ts';

export type ItemCharges = { interest: string | null; indemnity: string | null; currency: string; notes: string[] };

/**
 * Late-payment charges of each late invoice of a plan, by the law of the customer's country and kind:
 * interest follows the balance payment by payment; a consumer's interest runs from the formal notice.
 * The inputs are read with their settlements (`loadDunningInputs(…, { settlements: true })`).
 */
export function chargesForPlan(plan: Pick<Plan, 'date' | 'items'>, inputs: LoadedInput[]): Map<string, ItemCharges> {
  const late = new Set<string>();
  for (const item of plan.items) if (item.daysOverdue > 0) late.add(item.invoice);
  const result = new Map<string, ItemCharges>();
  // Most invoices owe the same fixed indemnity: its text is written once per amount and currency.
  const amounts = new Map<string, string>();
  for (const input of inputs) {
    const { invoice, policy } = input;
    if (!late.has(invoice.number) || !(policy.charges?.enabled ?? true)) continue;
    if (input.settlements === undefined) throw new AppError('internal', 'the plan\'s charges need the invoices read with their settlements');
    const noticeLevels = formalNoticeLevels(policy);
    let notice: IsoDate | null = null;
    for (const r of input.reminders) if (noticeLevels.has(r.level) && (notice === null || r.date < notice)) notice = r.date;
    const outcome = invoiceChargesOrNotes({
      country: input.customerCountry, customerKind: input.customerKind, amount: invoice.total,
      payments: input.settlements, dueDate: invoice.dueDate, asOf: plan.date,
      formalNoticeDate: notice, contractRate: policy.charges?.contractRate ?? null,
    }, invoice.currency, { periods: false });
    if ('charges' in outcome) {
      const { charges } = outcome;
      const key = `${charges.indemnity} ${charges.currency}`;
      let indemnity = amounts.get(key);
      if (indemnity === undefined) amounts.set(key, (indemnity = formatAmount(charges.indemnity, charges.currency)));
      result.set(invoice.number, { interest: formatAmount(charges.interest, charges.currency), indemnity,
        currency: charges.currency, notes: charges.notes });
    } else {
      // The same property order as above: one shape for every entry (and for a split plan's, plan-transfer.ts).
      result.set(invoice.number, { interest: null,
        indemnity: outcome.indemnity === null ? null : formatAmount(outcome.indemnity, invoice.currency),
        currency: invoice.currency, notes: outcome.notes });
    }
  }
  return result;
}

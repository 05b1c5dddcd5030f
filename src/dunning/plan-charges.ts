import type { IsoDate } from '../domain/calendar.ts';
import type { Plan, PlanItem } from '../domain/dunning/engine.ts';
import { formalNoticeLevels, type Policy } from '../domain/dunning/policy.ts';
import { invoiceChargesOrNotes } from '../domain/late-payment/charges.ts';
import { applicableLaw } from '../domain/late-payment/law.ts';
import { formatRate, rateBook, SHIPPED_RATES, type RateBook } from '../domain/late-payment/rates.ts';
import { formatAmount } from '../domain/money.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { listCompanyRates } from '../storage/rate-reads.ts';
import type { LoadedInput, Settlement } from './load-inputs.ts';

/**
 * An invoice's late-payment charges in a plan: amounts (interest in the invoice's currency, the indemnity in the
 * law's), the law and the rate of the last day counted, and whether the step at hand claims them in its letter.
 */
export type ItemCharges = {
  interest: string | null;
  indemnity: string | null;
  currency: string;
  notes: string[];
  /** The fixed indemnity's currency, the law's (40 € on a dollar invoice under French law). */
  indemnityCurrency: string;
  /** The law applied: FR, DE, GB or EU (law.ts). */
  law: string;
  /** The rate of the last day counted ("12.40"), null when no interest runs. */
  rate: string | null;
  /** The step the invoice is at (or goes to) claims charges and the policy has them on: its letter shows them. */
  chargesClaimed: boolean;
};

/** What the charges of a company's plan depend on beyond its invoices: the seller's country and the rates. */
export type ChargesSetting = { sellerCountry: string; rates: RateBook };

export async function loadChargesSetting(db: Db, companyId: string): Promise<ChargesSetting> {
  const company = await db.selectFrom('companies').select('country').where('id', '=', companyId).executeTakeFirst();
  if (!company)
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  const own = await listCompanyRates(db, companyId);
  return { sellerCountry: company.country, rates: own.length === 0 ? SHIPPED_RATES : rateBook(own) };
}

/** Whether the step of an item's level claims charges (plan-summary.ts decides the same for a communication). */
export function claimsCharges(policy: Policy, item: Pick<PlanItem, 'nextLevel' | 'lastLevel'>): boolean {
  if (!(policy.charges?.enabled ?? false)) return false;
  const level = item.nextLevel ?? item.lastLevel;
  return level > 0 && (policy.steps[level - 1]?.charges ?? false);
}

const NO_SETTLEMENTS: Settlement[] = [];

function hasCredit(settlements: Settlement[]): boolean {
  for (const s of settlements) if (s.credit) return true;
  return false;
}

/**
 * Late-payment charges of each late invoice of a plan, by the applicable law (the seller's for a business, the
 * consumer's own where relance knows it, or the customer's "loi applicable"): interest follows the balance payment
 * by payment, credit notes come off from the start; a consumer's interest runs from the formal notice (France) or
 * the first reminder (Germany). The inputs are read with their settlements (`loadDunningInputs(…, { settlements: true })`).
 */
export function chargesForPlan(
  plan: Pick<Plan, 'date' | 'items'>,
  inputs: LoadedInput[],
  setting: ChargesSetting = { sellerCountry: 'FR', rates: SHIPPED_RATES },
): Map<string, ItemCharges> {
  const late = new Map<string, PlanItem>();
  for (const item of plan.items) if (item.daysOverdue > 0) late.set(item.invoice, item);
  const result = new Map<string, ItemCharges>();
  // Most invoices owe the same fixed indemnity at the same rate: each text is written once per amount and currency
  // (a key string per invoice cost more than the lookup it saved), and per rate.
  const amounts = new Map<string, Map<number, string>>();
  const amountText = (cents: number, currency: string) => {
    let texts = amounts.get(currency);
    if (texts === undefined) amounts.set(currency, (texts = new Map()));
    let text = texts.get(cents);
    if (text === undefined) texts.set(cents, (text = formatAmount(cents, currency)));
    return text;
  };
  const rates = new Map<number, string>();
  const rateText = (bp: number) => {
    let text = rates.get(bp);
    if (text === undefined) rates.set(bp, (text = formatRate(bp)));
    return text;
  };
  for (const input of inputs) {
    const { invoice, policy } = input;
    const item = late.get(invoice.number);
    if (item === undefined || !(policy.charges?.enabled ?? true)) continue;
    if (input.settlements === undefined)
      throw new AppError('internal', "the plan's charges need the invoices read with their settlements", [], {
        key: 'problem.internal.planCharges',
      });
    const noticeLevels = formalNoticeLevels(policy);
    let notice: IsoDate | null = null;
    let firstReminder: IsoDate | null = null;
    for (const r of input.reminders) {
      if (noticeLevels.has(r.level) && (notice === null || r.date < notice)) notice = r.date;
      if (r.date > invoice.dueDate && (firstReminder === null || r.date < firstReminder)) firstReminder = r.date;
    }
    let payments = input.settlements;
    let credits = NO_SETTLEMENTS;
    if (payments.length > 0 && hasCredit(payments)) {
      credits = payments.filter((s) => s.credit);
      payments = payments.filter((s) => !s.credit);
    }
    const law = applicableLaw({
      sellerCountry: setting.sellerCountry,
      customerCountry: input.customerCountry,
      customerKind: input.customerKind,
      customerLaw: input.customerLaw,
    });
    const outcome = invoiceChargesOrNotes(
      {
        country: law,
        customerKind: input.customerKind,
        amount: invoice.total,
        payments,
        credits,
        rates: setting.rates,
        dueDate: invoice.dueDate,
        issueDate: invoice.issueDate,
        asOf: plan.date,
        firstReminderDate: firstReminder,
        formalNoticeDate: notice,
        contractRate: policy.charges?.contractRate ?? null,
        currency: invoice.currency,
      },
      invoice.currency,
      { periods: false },
    );
    const chargesClaimed = claimsCharges(policy, item);
    if ('charges' in outcome) {
      const { charges } = outcome;
      result.set(invoice.number, {
        interest: amountText(charges.interest, charges.currency),
        indemnity: amountText(charges.indemnity, charges.indemnityCurrency),
        currency: charges.currency,
        notes: charges.notes,
        indemnityCurrency: charges.indemnityCurrency,
        law,
        rate: charges.basis === null ? null : rateText(charges.basis.bp),
        chargesClaimed,
      });
    } else {
      // The same property order as above: one shape for every entry (and for a split plan's, plan-transfer.ts).
      result.set(invoice.number, {
        interest: null,
        indemnity: outcome.indemnity === null ? null : amountText(outcome.indemnity, outcome.indemnityCurrency),
        currency: invoice.currency,
        notes: outcome.notes,
        indemnityCurrency: outcome.indemnityCurrency,
        law,
        rate: null,
        chargesClaimed,
      });
    }
  }
  return result;
}

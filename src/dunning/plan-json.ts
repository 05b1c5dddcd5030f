import type { Plan } from '../domain/dunning/engine.ts';
import type { MissingRate } from '../domain/late-payment/rates.ts';
import { formatAmount } from '../domain/money.ts';
import { describeMissingRate } from './late-payment-rates.ts';
import type { ItemCharges } from './plan-charges.ts';

/** The plan in the documented JSON shape: one item per open invoice that is late or in a pre-reminder window. */
export function planJson(plan: Plan & { charges?: Map<string, ItemCharges>; missingRates?: MissingRate[] }) {
  const totals = (t: Record<string, number>) =>
    Object.fromEntries(Object.entries(t).map(([c, v]) => [c, formatAmount(v, c)]));
  return {
    date: plan.date,
    items: plan.items.map((i) => ({
      customer: i.customer,
      invoice: i.invoice,
      action: i.action,
      nextLevel: i.nextLevel,
      lastLevel: i.lastLevel,
      label: i.label,
      daysOverdue: i.daysOverdue,
      balance: i.balance,
      currency: i.currency,
      channels: i.channels,
      eligibleOn: i.eligibleOn ?? null,
      reasonCode: i.reason?.code ?? null,
      reason: i.reason ? `${i.reason.code}: ${i.reason.message}` : null,
      interest: plan.charges?.get(i.invoice)?.interest ?? null,
      indemnity: plan.charges?.get(i.invoice)?.indemnity ?? null,
      chargesNotes: plan.charges?.get(i.invoice)?.notes ?? [],
      indemnityCurrency: plan.charges?.get(i.invoice)?.indemnityCurrency ?? null,
      law: plan.charges?.get(i.invoice)?.law ?? null,
      rate: plan.charges?.get(i.invoice)?.rate ?? null,
      chargesClaimed: plan.charges?.get(i.invoice)?.chargesClaimed ?? false,
    })),
    missingRates: (plan.missingRates ?? []).map((m) => ({
      series: m.series,
      halfYear: m.halfYear,
      date: m.date,
      where: m.where,
      message: describeMissingRate(m, 'en'),
      messageFr: describeMissingRate(m, 'fr'),
    })),
    communications: plan.communications.map((c) => ({
      customer: c.customer,
      currency: c.currency,
      level: c.level,
      label: c.label,
      channels: c.channels,
      formalNotice: c.formalNotice,
      invoices: c.invoices.map((i) => i.invoice),
      total: c.total,
    })),
    summary: {
      levels: plan.summary.levels.map((l) => ({
        level: l.level,
        label: l.label,
        toSend: { count: l.toSend.count, totals: totals(l.toSend.totals) },
        inProgress: { count: l.inProgress.count, totals: totals(l.inProgress.totals) },
      })),
      outOfCycle: { count: plan.summary.outOfCycle.count, totals: totals(plan.summary.outOfCycle.totals) },
      byReason: Object.fromEntries(
        Object.entries(plan.summary.byReason).map(([k, b]) => [k, { count: b!.count, totals: totals(b!.totals) }]),
      ),
      sends: plan.items.filter((i) => i.action === 'send').length,
      communications: plan.communications.length,
    },
  };
}

import { addDays, type IsoDate } from '../domain/calendar.ts';
import type { Policy } from '../domain/dunning/policy.ts';
import type { Cents } from '../domain/money.ts';

export type PendingQuote = { id: string; number: string; customerId: string; validUntil: IsoDate; date: IsoDate };
export type QuoteFollowUp = { quoteId: string; number: string; customerId: string; level: number; label: string };

/**
 * Which pending quotes get a follow-up on `date`. The quote policy's steps count from the expiry date
 * (`dueDate`, negative = before it), from the quote date (`issueDate`) or from the previous follow-up
 * (`previousStep`); step N only after step N−1; never once the quote has expired; at most one step per
 * quote per day (a late catch-up sends the highest step that is due, as the dunning engine does).
 */
export function planQuoteFollowUps(
  quotes: PendingQuote[],
  sent: Map<string, { level: number; sentOn: IsoDate }[]>,
  policy: Policy,
  date: IsoDate,
): QuoteFollowUp[] {
  const out: QuoteFollowUp[] = [];
  for (const quote of quotes) {
    if (date > quote.validUntil) continue;
    const history = sent.get(quote.id) ?? [];
    if (history.some((h) => h.sentOn === date)) continue;
    let level = history.reduce((max, h) => Math.max(max, h.level), 0);
    let due: number | null = null;
    let previousOn = history.find((h) => h.level === level)?.sentOn ?? null;
    while (level < policy.steps.length) {
      const step = policy.steps[level]!;
      const origin = step.from === 'dueDate' ? quote.validUntil : step.from === 'issueDate' ? quote.date : previousOn;
      if (origin === null || addDays(origin, step.delayDays) > date) break;
      level++;
      due = level;
      // Later steps counting from this one are not due the same day: one message per quote per run.
      previousOn = date;
    }
    if (due !== null)
      out.push({
        quoteId: quote.id,
        number: quote.number,
        customerId: quote.customerId,
        level: due,
        label: policy.steps[due - 1]!.label,
      });
  }
  return out;
}

export type ScheduledInvoice = {
  scheduleId: string;
  invoiceId: string;
  number: string;
  customerId: string;
  total: Cents;
  allocated: Cents;
  instalments: { seq: number; dueDate: IsoDate; amount: Cents }[];
};
export type InstalmentDue = {
  scheduleId: string;
  invoiceId: string;
  number: string;
  customerId: string;
  seq: number;
  count: number;
  dueDate: IsoDate;
  amount: Cents;
  unpaid: Cents;
};

/**
 * Each instalment in order with what is left to pay on it: what the invoice received is credited to its
 * instalments in order, after what it had already received when the schedule was made (total − sum of
 * the instalments).
 */
export function instalmentPositions(
  total: Cents,
  allocated: Cents,
  instalments: { seq: number; dueDate: IsoDate; amount: Cents }[],
): { seq: number; dueDate: IsoDate; amount: Cents; unpaid: Cents }[] {
  let paid = allocated - (total - instalments.reduce((s, i) => s + i.amount, 0));
  return [...instalments]
    .sort((a, b) => a.seq - b.seq)
    .map((instalment) => {
      const covered = Math.max(0, Math.min(paid, instalment.amount));
      paid -= covered;
      return { ...instalment, unpaid: instalment.amount - covered };
    });
}

/**
 * The instalments (échéances) to remind on `date`: each one whose due date has come, that is not paid
 * yet and was never reminded. What an invoice received is credited to its instalments in order, after
 * what it had already received when the schedule was made (total − sum of the instalments).
 */
export function dueInstalments(invoices: ScheduledInvoice[], reminded: Set<string>, date: IsoDate): InstalmentDue[] {
  const out: InstalmentDue[] = [];
  for (const invoice of invoices) {
    for (const instalment of instalmentPositions(invoice.total, invoice.allocated, invoice.instalments)) {
      const { unpaid } = instalment;
      if (unpaid <= 0 || instalment.dueDate > date || reminded.has(`${invoice.scheduleId}:${instalment.seq}`)) continue;
      out.push({
        scheduleId: invoice.scheduleId,
        invoiceId: invoice.invoiceId,
        number: invoice.number,
        customerId: invoice.customerId,
        seq: instalment.seq,
        count: invoice.instalments.length,
        dueDate: instalment.dueDate,
        amount: instalment.amount,
        unpaid,
      });
    }
  }
  return out;
}

import { addDays, type IsoDate } from '../calendar.ts';
import { isPreReminder, nextStepIndex } from './engine.ts';
import type { SentReminder } from './engine.ts';
import type { Policy } from './policy.ts';

/**
 * What one message may say about the invoices a person chose (composer, `relance remind`, a printed
 * selection), by the rules every message follows:
 * - it demands payment only of invoices past their due date, each at its own next level;
 * - an invoice whose next step is a pre-reminder is a courtesy notice ("will soon be due"), never a demand;
 * - an invoice not yet due that is chosen with due ones goes in a separate "à échoir" block, for
 *   information: outside every total, and recorded at no level.
 * One message has one level: invoices at several levels are several messages (see groupCommunications).
 */
export type ChosenInvoice = { id: string; number: string; dueDate: IsoDate; reminders: SentReminder[] };

export type LevelGroup = { level: number; ids: string[] };

export type Presentation = {
  /** The invoices demanded (or, for a pre-reminder, announced), by level, lowest first. */
  groups: LevelGroup[];
  /** Not yet due: shown apart, never totalled, never recorded. */
  upcoming: string[];
};

export function presentChoice(policy: Policy, chosen: ChosenInvoice[], date: IsoDate): Presentation {
  const byLevel = new Map<number, string[]>();
  const courtesy = new Map<number, string[]>();
  const upcoming: string[] = [];
  for (const invoice of chosen) {
    let last = 0;
    for (const r of invoice.reminders) if (r.level > last) last = r.level;
    const index = nextStepIndex(policy, last, invoice.dueDate, date);
    const step = policy.steps[index];
    const level = index + 1;
    // A pre-reminder is a courtesy only inside its window (from its delay before the due date).
    if (step && isPreReminder(step) && date <= invoice.dueDate && date >= addDays(invoice.dueDate, step.delayDays)) {
      courtesy.set(level, [...(courtesy.get(level) ?? []), invoice.id]);
    } else if (date <= invoice.dueDate) {
      upcoming.push(invoice.id);
    } else {
      byLevel.set(level, [...(byLevel.get(level) ?? []), invoice.id]);
    }
  }
  // Invoices coming due chosen with overdue ones are announced in the à échoir block, not as a second message.
  if (byLevel.size > 0) {
    for (const ids of courtesy.values()) upcoming.push(...ids);
  } else {
    for (const [level, ids] of courtesy) byLevel.set(level, ids);
  }
  const groups = [...byLevel.entries()].sort(([a], [b]) => a - b).map(([level, ids]) => ({ level, ids }));
  return { groups, upcoming };
}

import { addDays, daysBetween, type IsoDate } from '../calendar.ts';
import { balanceOf, type Invoice } from '../ledger.ts';
import { formatAmount, type Cents } from '../money.ts';
import { ANNOUNCED_PAYMENT_PAUSE_DAYS, type Channel, type Grouping, type Policy, type Step } from './policy.ts';
import { groupCommunications, summarise, type Communication, type PlanSummary } from './plan-summary.ts';

export type { Bucket, Communication, LevelSummary, PlanSummary } from './plan-summary.ts';

/**
 * The pure dunning planner: given each open invoice, the reminders it already received and its customer's
 * state, it decides what to send on a date. Storage and the run itself live elsewhere; nothing here reads
 * a clock, so a plan can be recomputed for any date and tested day by day.
 */
export type DunningInvoice = Pick<
  Invoice,
  | 'number'
  | 'customerId'
  | 'issueDate'
  | 'dueDate'
  | 'currency'
  | 'total'
  | 'allocated'
  | 'status'
  | 'disputed'
  | 'disputeReason'
  | 'promiseToPayDate'
> & {
  customerCode: string;
  /** The day the customer said, on their payment page, that they had paid; cleared by the next payment. */
  paymentAnnouncedOn?: IsoDate | null;
};

/**
 * A reminder recorded for this invoice; `level` is the 1-based index of the policy step. `pending`: its message
 * still waits in the outbox, so the level is taken (never planned again) but does not count as sent yet.
 */
export type SentReminder = { level: number; date: IsoDate; pending?: boolean };

export type CustomerState = {
  /** Reminders are paused up to and including this date. */
  pausedUntil: IsoDate | null;
  blockedReason: string | null;
  /** The day of the customer's oldest answer nobody has read yet; its next step waits while the policy says so. */
  replyUnreadSince?: IsoDate | null;
  hasEmail: boolean;
  hasPostalAddress: boolean;
};

export type DunningInput = {
  invoice: DunningInvoice;
  reminders: SentReminder[];
  customer: CustomerState;
  policy: Policy;
};

export type ReasonCode =
  | 'below_minimum'
  | 'disputed'
  | 'customer_paused'
  | 'reply_unread'
  | 'customer_blocked'
  | 'promise_to_pay'
  | 'payment_announced'
  | 'out_of_cycle'
  | 'not_yet_due'
  | 'too_soon'
  | 'no_contact'
  | 'awaiting_dispatch';
export type PlanAction = 'send' | 'wait' | 'skip';

export type PlanItem = {
  /** Customer code, the key people recognise. */
  customer: string;
  customerId: string;
  /** Invoice number. */
  invoice: string;
  currency: string;
  dueDate: IsoDate;
  action: PlanAction;
  nextLevel: number | null;
  lastLevel: number;
  label: string;
  /** Plan date minus due date in calendar days; negative inside a pre-reminder window. */
  daysOverdue: number;
  balance: string;
  balanceCents: Cents;
  reason: { code: ReasonCode; message: string } | null;
  /** For a wait, the first date it could be sent; for a send, the date the step became due. */
  eligibleOn?: IsoDate;
  channels: Channel[];
};

// The message is written only for the hold that decides: a plan holds hundreds of thousands of them.
type Hold = {
  code: 'customer_paused' | 'reply_unread' | 'promise_to_pay' | 'payment_announced' | 'not_yet_due' | 'too_soon';
  from: IsoDate;
  since: IsoDate | null;
};

type Assessment =
  | { kind: 'closed' }
  | {
      kind: 'stopped';
      code: 'out_of_cycle' | 'disputed' | 'customer_blocked' | 'below_minimum' | 'awaiting_dispatch';
      message: string;
      label: string;
      nextLevel: number | null;
    }
  | { kind: 'ladder'; step: Step; nextLevel: number; eligibility: IsoDate; holds: Hold[] };

// Loops rather than reduce with a closure: these run for every invoice of every plan.
/** The highest level sent; a pending one (its message not left yet) does not count. */
export function lastLevelOf(reminders: SentReminder[]): number {
  let max = 0;
  for (const r of reminders) if (r.level > max && r.pending !== true) max = r.level;
  return max;
}

function pendingLevelOf(reminders: SentReminder[]): number {
  for (const r of reminders) if (r.pending === true) return r.level;
  return 0;
}

function latestDate(reminders: SentReminder[]): IsoDate | null {
  let max: IsoDate | null = null;
  for (const r of reminders) if (r.pending !== true && (max === null || r.date > max)) max = r.date;
  return max;
}

function maxDate(dates: IsoDate[]): IsoDate {
  return dates.reduce((max, d) => (d > max ? d : max));
}

function eligibilityOf(step: Step, input: DunningInput, lastLevel: number): IsoDate {
  const { invoice, reminders } = input;
  if (step.from === 'dueDate') return addDays(invoice.dueDate, step.delayDays);
  if (step.from === 'issueDate') return addDays(invoice.issueDate, step.delayDays);
  // The previous step is the highest one sent; if it was sent twice the latest sending counts.
  let previous: IsoDate | null = null;
  for (const r of reminders)
    if (r.level === lastLevel && r.pending !== true && (previous === null || r.date > previous)) previous = r.date;
  return addDays(previous ?? invoice.dueDate, step.delayDays);
}

/** A step timed before the due date ("Prérelance"): a courtesy notice that the invoice will soon be due. */
export function isPreReminder(step: Step): boolean {
  return step.from === 'dueDate' && step.delayDays < 0;
}

/**
 * The index of the step that comes after `lastLevel` on `date`. A pre-reminder not sent by the due date is
 * passed over once the invoice is due: an overdue invoice gets a reminder, never "will soon be due" (the
 * message follows lateness). Every other step still needs the one before it.
 */
export function nextStepIndex(policy: Policy, lastLevel: number, dueDate: IsoDate, date: IsoDate): number {
  let index = lastLevel;
  while (index < policy.steps.length && date > dueDate && isPreReminder(policy.steps[index]!)) index++;
  return index;
}

/**
 * When the step next on `date` is a pre-reminder: the day after the due date, when it gives way to the step
 * after it (whether it was held or simply not sent). Null for any other step.
 */
export function preReminderEndsOn(input: DunningInput, date: IsoDate): IsoDate | null {
  const { policy, invoice } = input;
  const step = policy.steps[nextStepIndex(policy, lastLevelOf(input.reminders), invoice.dueDate, date)];
  return step ? givesWayOn(step, invoice.dueDate) : null;
}

function givesWayOn(step: Step, dueDate: IsoDate): IsoDate | null {
  return isPreReminder(step) ? addDays(dueDate, 1) : null;
}

/**
 * The level a reminder made by hand on `date` is for (composer, printed letter): the step the plan would
 * send next, even before its date; one past the last step once every step was sent.
 */
export function nextLevelOn(policy: Policy, reminders: SentReminder[], dueDate: IsoDate, date: IsoDate): number {
  return nextStepIndex(policy, lastLevelOf(reminders), dueDate, date) + 1;
}

function assess(input: DunningInput, date: IsoDate): Assessment {
  const { invoice, reminders, customer, policy } = input;
  const balance = balanceOf(invoice);
  if (invoice.status !== 'issued' || balance <= 0) return { kind: 'closed' };
  const steps = policy.steps;
  const pending = pendingLevelOf(reminders);
  if (pending > 0) {
    // Its message has not left: nothing more is planned until it is sent (then the delays count from that day)
    // or cancelled (then the level is decided again from the day's data).
    return {
      kind: 'stopped',
      code: 'awaiting_dispatch',
      nextLevel: pending,
      label: (steps[pending - 1] ?? steps[steps.length - 1])?.label ?? '',
      message: `reminder level ${pending} is waiting in the outbox`,
    };
  }
  const lastLevel = lastLevelOf(reminders);
  const index = nextStepIndex(policy, lastLevel, invoice.dueDate, date);
  if (index >= steps.length) {
    // Every step was sent (or passed over): from here on only a person decides (litigation, write-off, new promise).
    return {
      kind: 'stopped',
      code: 'out_of_cycle',
      nextLevel: null,
      label: steps[steps.length - 1]!.label,
      message: `all ${steps.length} steps were sent; no further automatic reminder`,
    };
  }
  const step = steps[index]!;
  const nextLevel = index + 1;
  if (invoice.disputed) {
    return {
      kind: 'stopped',
      code: 'disputed',
      label: step.label,
      nextLevel,
      message: invoice.disputeReason ? `disputed: ${invoice.disputeReason}` : 'invoice is disputed',
    };
  }
  if (customer.blockedReason !== null) {
    return {
      kind: 'stopped',
      code: 'customer_blocked',
      label: step.label,
      nextLevel,
      message: `customer blocked: ${customer.blockedReason}`,
    };
  }
  if (balance < policy.minBalance) {
    return {
      kind: 'stopped',
      code: 'below_minimum',
      label: step.label,
      nextLevel,
      message:
        `balance ${formatAmount(balance, invoice.currency)} is below the minimum ` +
        `${formatAmount(policy.minBalance, invoice.currency)}`,
    };
  }
  const eligibility = eligibilityOf(step, input, lastLevel);
  const holds: Hold[] = [];
  if (customer.pausedUntil !== null) {
    holds.push({ code: 'customer_paused', from: addDays(customer.pausedUntil, 1), since: customer.pausedUntil });
  }
  if (customer.replyUnreadSince && policy.pauseOnReply !== false) {
    // No end date: the hold lasts until someone reads the answer, so the planner looks again each day.
    holds.push({ code: 'reply_unread', from: addDays(date, 1), since: customer.replyUnreadSince });
  }
  if (invoice.promiseToPayDate !== null) {
    holds.push({ code: 'promise_to_pay', from: addDays(invoice.promiseToPayDate, 1), since: invoice.promiseToPayDate });
  }
  if (invoice.paymentAnnouncedOn) {
    const pause = policy.announcedPaymentPauseDays ?? ANNOUNCED_PAYMENT_PAUSE_DAYS;
    holds.push({
      code: 'payment_announced',
      from: addDays(invoice.paymentAnnouncedOn, pause),
      since: invoice.paymentAnnouncedOn,
    });
  }
  holds.push({ code: 'not_yet_due', from: eligibility, since: null });
  const last = latestDate(reminders);
  if (last !== null) {
    // At least one day apart even with minDaysBetween 0: a run repeated the same day must not escalate twice.
    holds.push({ code: 'too_soon', from: addDays(last, minGap(policy)), since: last });
  }
  return { kind: 'ladder', step, nextLevel, eligibility, holds };
}

function minGap(policy: Policy): number {
  return Math.max(1, policy.minDaysBetween);
}

function holdMessage(hold: Hold, nextLevel: number, policy: Policy): string {
  switch (hold.code) {
    case 'customer_paused':
      return `customer paused until ${hold.since}`;
    case 'reply_unread':
      return `the customer's answer of ${hold.since} is unread`;
    case 'promise_to_pay':
      return `payment promised for ${hold.since}`;
    case 'payment_announced':
      return `payment announced by the customer on ${hold.since}`;
    case 'not_yet_due':
      return `step ${nextLevel} is due on ${hold.from}`;
    case 'too_soon':
      return `previous reminder sent on ${hold.since}; at least ${minGap(policy)} ${minGap(policy) === 1 ? 'day' : 'days'} between reminders`;
  }
}

/** Channels the customer can actually receive: e-mail falls back to a letter when there is an address. */
export function usableChannels(wanted: Channel[], customer: CustomerState): Channel[] {
  let email = false;
  let letter = false;
  for (const channel of wanted) {
    if (channel === 'email' && customer.hasEmail) email = true;
    else if (customer.hasPostalAddress) letter = true;
  }
  return email ? (letter ? ['email', 'letter'] : ['email']) : letter ? ['letter'] : [];
}

/** Whether the invoice shows in a plan on `date` at all: late, already chased, or inside step 1's early window. */
function isVisible(input: DunningInput, date: IsoDate): boolean {
  const { invoice, reminders, policy } = input;
  if (date > invoice.dueDate || reminders.length > 0) return true;
  const first = policy.steps[0];
  return first !== undefined && first.from !== 'previousStep' && date >= eligibilityOf(first, input, 0);
}

/** What to do with one invoice on `date`, or null when it is paid, cancelled or not yet worth showing. */
export function planInvoice(input: DunningInput, date: IsoDate): PlanItem | null {
  const assessment = assess(input, date);
  if (assessment.kind === 'closed' || !isVisible(input, date)) return null;
  if (assessment.kind === 'stopped') {
    return item(
      input,
      date,
      'skip',
      assessment.nextLevel,
      assessment.label,
      [],
      { code: assessment.code, message: assessment.message },
      undefined,
    );
  }
  const channels = usableChannels(assessment.step.channels, input.customer);
  const { nextLevel, step } = assessment;
  // The hold lasting longest is the one that really decides the date; ties keep the order above.
  let binding: Hold | null = null;
  for (const hold of assessment.holds)
    if (hold.from > date && (binding === null || hold.from > binding.from)) binding = hold;
  if (binding !== null) {
    return item(
      input,
      date,
      'wait',
      nextLevel,
      step.label,
      channels,
      { code: binding.code, message: holdMessage(binding, nextLevel, input.policy) },
      binding.from,
    );
  }
  if (channels.length === 0) {
    return item(
      input,
      date,
      'skip',
      nextLevel,
      step.label,
      channels,
      {
        code: 'no_contact',
        message: `no usable channel among ${step.channels.join(', ')} (no e-mail, no postal address)`,
      },
      undefined,
    );
  }
  return item(input, date, 'send', nextLevel, step.label, channels, null, assessment.eligibility);
}

// One object of one shape per item, built in one go: plans hold hundreds of thousands of them.
function item(
  input: DunningInput,
  date: IsoDate,
  action: PlanAction,
  nextLevel: number | null,
  label: string,
  channels: Channel[],
  reason: PlanItem['reason'],
  eligibleOn: IsoDate | undefined,
): PlanItem {
  const { invoice } = input;
  const balanceCents = balanceOf(invoice);
  return {
    customer: invoice.customerCode,
    customerId: invoice.customerId,
    invoice: invoice.number,
    currency: invoice.currency,
    dueDate: invoice.dueDate,
    action,
    nextLevel,
    lastLevel: lastLevelOf(input.reminders),
    label,
    daysOverdue: daysBetween(invoice.dueDate, date),
    balance: formatAmount(balanceCents, invoice.currency),
    balanceCents,
    reason,
    eligibleOn,
    channels,
  };
}

/**
 * The first date on which the invoice, planned on `date`, needs the planner again (the next step becomes
 * sendable, or an unsent pre-reminder gives way), or null when nothing will happen automatically. Valid
 * until the invoice, its reminders or the customer change, which is when the caller must recompute it. An invoice with no usable contact still gets its date:
 * it must show up as skipped so someone adds a contact.
 */
export function nextActionDate(input: DunningInput, date: IsoDate): IsoDate | null {
  const assessment = assess(input, date);
  if (assessment.kind !== 'ladder') return null;
  const next = maxDate(assessment.holds.map((hold) => hold.from));
  // A pre-reminder still unsent on its due date gives way to the next step the day after: look again then.
  const ends = givesWayOn(assessment.step, input.invoice.dueDate);
  return ends !== null && next > ends ? ends : next;
}

export type Plan = { date: IsoDate; items: PlanItem[]; communications: Communication[]; summary: PlanSummary };
export type BuildPlanOptions = { grouping?: Grouping };

// Code-point order, not localeCompare: the same plan must come out identical on every server.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareItems(a: PlanItem, b: PlanItem): number {
  return (
    compareText(a.customer, b.customer) ||
    compareText(a.currency, b.currency) ||
    compareText(a.dueDate, b.dueDate) ||
    compareText(a.invoice, b.invoice)
  );
}

/**
 * The items' indexes in plan order (customer, currency, due date, invoice). A plan sorts 200,000 items and
 * more: the customers are ranked once, the items placed by their customer's rank in one pass (counting
 * sort), and only each customer's few items are compared field by field.
 */
function planOrder(items: PlanItem[]): Int32Array {
  const customerOf = new Int32Array(items.length);
  const indexOfCode = new Map<string, number>();
  const codes: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const code = items[i]!.customer;
    let index = indexOfCode.get(code);
    if (index === undefined) {
      index = codes.length;
      codes.push(code);
      indexOfCode.set(code, index);
    }
    customerOf[i] = index;
  }
  // sort() without a comparator orders strings by UTF-16 code units, as compareText does, without calling back
  // into JavaScript for each of the 1.7 million comparisons of 100,000 customers.
  const ranked = codes.slice().sort();
  const rank = new Int32Array(codes.length);
  for (let r = 0; r < ranked.length; r++) rank[indexOfCode.get(ranked[r]!)!] = r;
  const starts = new Int32Array(codes.length + 1);
  for (let i = 0; i < items.length; i++) {
    const r = rank[customerOf[i]!]! + 1;
    starts[r] = starts[r]! + 1;
  }
  for (let r = 0; r < codes.length; r++) starts[r + 1] = starts[r + 1]! + starts[r]!;
  const next = starts.slice(0, codes.length);
  const order = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const r = rank[customerOf[i]!]!;
    order[next[r]!] = i;
    next[r] = next[r]! + 1;
  }
  // Items were placed in input order; each customer's own items are put in order here.
  for (let r = 0; r < codes.length; r++) sortRange(order, starts[r]!, starts[r + 1]!, items);
  return order;
}

function sortRange(order: Int32Array, from: number, to: number, items: PlanItem[]): void {
  if (to - from > 16) {
    order.set(
      Array.from(order.subarray(from, to)).sort((a, b) => compareItems(items[a]!, items[b]!)),
      from,
    );
    return;
  }
  // Insertion sort: most customers have a handful of items, and it needs no closure.
  for (let i = from + 1; i < to; i++) {
    const moving = order[i]!;
    let j = i - 1;
    while (j >= from && compareItems(items[order[j]!]!, items[moving]!) > 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = moving;
  }
}

/** Each input's plan item (null ones left out) with its policy at the same index, in input order. */
export type Decisions = { planned: PlanItem[]; policies: Policy[] };

export function decideAll(inputs: DunningInput[], date: IsoDate): Decisions {
  const planned: PlanItem[] = [];
  const policies: Policy[] = [];
  for (const input of inputs) {
    const item = planInvoice(input, date);
    if (item) {
      planned.push(item);
      policies.push(input.policy);
    }
  }
  return { planned, policies };
}

/** The decisions in plan order (customer, currency, due date, invoice). */
export function sortDecisions({ planned, policies }: Decisions): Decisions {
  const order = planOrder(planned);
  const items: PlanItem[] = new Array(order.length);
  const sortedPolicies: Policy[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    items[i] = planned[order[i]!]!;
    sortedPolicies[i] = policies[order[i]!]!;
  }
  return { planned: items, policies: sortedPolicies };
}

/**
 * Two parts of a plan, each in plan order, merged in plan order. Plan order is total (invoice numbers are
 * unique), so this is the order of all the decisions sorted together, whichever part each came from.
 */
export function mergeDecisions(a: Decisions, b: Decisions): Decisions {
  const total = a.planned.length + b.planned.length;
  const planned: PlanItem[] = new Array(total);
  const policies: Policy[] = new Array(total);
  let i = 0;
  let j = 0;
  for (let k = 0; k < total; k++) {
    if (j >= b.planned.length || (i < a.planned.length && compareItems(a.planned[i]!, b.planned[j]!) < 0)) {
      planned[k] = a.planned[i]!;
      policies[k] = a.policies[i++]!;
    } else {
      planned[k] = b.planned[j]!;
      policies[k] = b.policies[j++]!;
    }
  }
  return { planned, policies };
}

/** The plan of decisions already in plan order (sortDecisions, mergeDecisions). */
export function assembleSorted(
  { planned: items, policies }: Decisions,
  date: IsoDate,
  options: BuildPlanOptions = {},
): Plan {
  return {
    date,
    items,
    communications: groupCommunications(items, policies, options),
    summary: summarise(items, policies),
  };
}

export function buildPlan(inputs: DunningInput[], date: IsoDate, options: BuildPlanOptions = {}): Plan {
  return assembleSorted(sortDecisions(decideAll(inputs, date)), date, options);
}

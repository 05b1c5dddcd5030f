import { formatAmount, type Cents } from '../money.ts';
import type { Channel, Grouping, Policy } from './policy.ts';
import type { PlanItem, ReasonCode } from './engine.ts';

/**
 * Turns plan items into what is actually sent (one communication per customer) and the run's counters.
 * Items come with their policies in a parallel array (`policies[i]` is that of `items[i]`): one object less
 * per item of a plan of 200,000.
 */

export type Communication = {
  key: string;
  customer: string;
  customerId: string;
  currency: string;
  /** The level of every one of its invoices: one communication per customer, currency and level. */
  level: number;
  label: string;
  formalNotice: boolean;
  /** The step claims late-payment charges and the policy has them enabled. */
  claimCharges: boolean;
  templates: string[];
  invoices: PlanItem[];
  channels: Channel[];
  total: string;
  totalCents: Cents;
};

/** Count and total per currency: mixing currencies in one sum would be meaningless. */
export type Bucket = { count: number; totals: Record<string, Cents> };
export type LevelSummary = { level: number; label: string; toSend: Bucket; inProgress: Bucket };
export type PlanSummary = {
  levels: LevelSummary[];
  outOfCycle: Bucket;
  byReason: Partial<Record<ReasonCode, Bucket>>;
};

function emptyBucket(): Bucket {
  return { count: 0, totals: {} };
}

function addTo(bucket: Bucket, item: PlanItem): void {
  bucket.count += 1;
  bucket.totals[item.currency] = (bucket.totals[item.currency] ?? 0) + item.balanceCents;
}

/**
 * One communication per customer, currency and level (`grouping: 'customer'`, the default), or per invoice.
 * Each invoice of a communication is therefore at the communication's own level: a "1ère relance" never
 * lists an invoice still in its Prérelance window, and a formal notice ("Malgré nos précédentes
 * relances") only holds invoices that reached it through the earlier steps. A customer with invoices at
 * three levels the same day gets three messages, each worded for its invoices: one text cannot be right
 * for all of them, and a formal notice is a legal act that must stand alone (sent registered, with its
 * own deadline). Items come sorted by customer and currency, so a customer's sends in one currency are
 * consecutive: grouping is one scan, with a small map of levels per customer and currency.
 */
export function groupCommunications(
  items: PlanItem[],
  policies: Policy[],
  options: { grouping?: Grouping },
): Communication[] {
  const communications: Communication[] = [];
  // The customer and currency being scanned: its groups by level, each with the index of its first item.
  let groups = new Map<number, { first: number; invoices: PlanItem[] }>();
  let runCustomer = '';
  let runCurrency = '';
  const emit = (first: number, invoices: PlanItem[], key: string) => {
    const head = items[first]!;
    const policy = policies[first]!;
    const level = head.nextLevel!;
    const step = policy.steps[level - 1]!;
    let totalCents = 0;
    let email = false;
    let letter = false;
    for (const invoice of invoices) {
      totalCents += invoice.balanceCents;
      for (const channel of invoice.channels)
        if (channel === 'email') email = true;
        else letter = true;
    }
    communications.push({
      key,
      customer: head.customer,
      customerId: head.customerId,
      currency: head.currency,
      level,
      label: step.label,
      formalNotice: step.formalNotice ?? false,
      claimCharges: (step.charges ?? false) && (policy.charges?.enabled ?? false),
      templates: step.templates ?? [],
      invoices,
      channels: email ? (letter ? ['email', 'letter'] : ['email']) : letter ? ['letter'] : [],
      total: formatAmount(totalCents, head.currency),
      totalCents,
    });
  };
  const flush = () => {
    for (const level of [...groups.keys()].sort((a, b) => a - b)) {
      const group = groups.get(level)!;
      const head = items[group.first]!;
      emit(group.first, group.invoices, `${head.customer}|${head.currency}|${level}`);
    }
    groups = new Map();
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.action !== 'send') continue;
    if ((options.grouping ?? policies[i]!.grouping) === 'invoice') {
      emit(i, [item], `${item.customer}|${item.currency}|${item.invoice}`);
      continue;
    }
    if (item.customer !== runCustomer || item.currency !== runCurrency) {
      flush();
      runCustomer = item.customer;
      runCurrency = item.currency;
    }
    const group = groups.get(item.nextLevel!);
    if (group) group.invoices.push(item);
    else groups.set(item.nextLevel!, { first: i, invoices: [item] });
  }
  flush();
  return communications;
}

/** eKo's categories: per level "to send" and "in progress" (level k sent, k+1 not due yet), and out of cycle. */
export function summarise(items: PlanItem[], policies: Policy[]): PlanSummary {
  const levels: LevelSummary[] = [];
  const levelAt = (level: number, policy: Policy): LevelSummary => {
    while (levels.length < level) {
      const n = levels.length + 1;
      levels.push({
        level: n,
        label: policy.steps[n - 1]?.label ?? `level ${n}`,
        toSend: emptyBucket(),
        inProgress: emptyBucket(),
      });
    }
    return levels[level - 1]!;
  };
  const outOfCycle = emptyBucket();
  const byReason: Partial<Record<ReasonCode, Bucket>> = {};
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const policy = policies[i]!;
    if (levels.length < policy.steps.length) levelAt(policy.steps.length, policy);
    if (item.action === 'send') addTo(levelAt(item.nextLevel!, policy).toSend, item);
    if (item.reason === null) continue;
    addTo((byReason[item.reason.code] ??= emptyBucket()), item);
    if (item.reason.code === 'out_of_cycle') addTo(outOfCycle, item);
    const waitingForNext = item.reason.code === 'not_yet_due' || item.reason.code === 'too_soon';
    if (waitingForNext && item.lastLevel > 0) addTo(levelAt(item.lastLevel, policy).inProgress, item);
  }
  return { levels, outOfCycle, byReason };
}

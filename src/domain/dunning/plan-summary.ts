import { formatAmount, type Cents } from '../money.ts';
import type { Channel, Grouping, Policy } from './policy.ts';
import type { PlanItem, ReasonCode } from './engine.ts';

/** Turns plan items into what is actually sent (one communication per customer) and the run's counters. */
type Entry = { item: PlanItem; policy: Policy };

export type Communication = {
  key: string;
  customer: string;
  customerId: string;
  currency: string;
  /** The highest level among its invoices: one letter per customer, at the most advanced step. */
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
 * Entries come sorted by customer and currency, so a customer's sends in one currency are consecutive:
 * grouping is one scan, without a key string and map lookup per invoice.
 */
export function groupCommunications(entries: Entry[], options: { grouping?: Grouping }): Communication[] {
  const groups: { key: string; entries: Entry[] }[] = [];
  let open: { key: string; entries: Entry[]; customer: string; currency: string } | null = null;
  for (const entry of entries) {
    if (entry.item.action !== 'send') continue;
    const { customer, currency, invoice } = entry.item;
    if ((options.grouping ?? entry.policy.grouping) === 'invoice') {
      groups.push({ key: `${customer}|${currency}|${invoice}`, entries: [entry] });
      open = null;
    } else if (open !== null && open.customer === customer && open.currency === currency) {
      open.entries.push(entry);
    } else {
      open = { key: `${customer}|${currency}`, entries: [entry], customer, currency };
      groups.push(open);
    }
  }
  const communications: Communication[] = [];
  for (const { key, entries: group } of groups) {
    // Plain loops: a plan has tens of thousands of groups, and a closure per group showed in profiles.
    let top = group[0]!;
    let totalCents = 0;
    let email = false;
    let letter = false;
    const invoices: PlanItem[] = [];
    for (const entry of group) {
      if (entry.item.nextLevel! > top.item.nextLevel!) top = entry;
      totalCents += entry.item.balanceCents;
      for (const channel of entry.item.channels) if (channel === 'email') email = true; else letter = true;
      invoices.push(entry.item);
    }
    const level = top.item.nextLevel!;
    const step = top.policy.steps[level - 1]!;
    communications.push({
      key,
      customer: top.item.customer,
      customerId: top.item.customerId,
      currency: top.item.currency,
      level,
      label: step.label,
      formalNotice: step.formalNotice ?? false,
      claimCharges: (step.charges ?? false) && (top.policy.charges?.enabled ?? false),
      templates: step.templates ?? [],
      invoices,
      channels: email ? (letter ? ['email', 'letter'] : ['email']) : letter ? ['letter'] : [],
      total: formatAmount(totalCents, top.item.currency),
      totalCents,
    });
  }
  return communications;
}

/** eKo's categories: per level "to send" and "in progress" (level k sent, k+1 not due yet), and out of cycle. */
export function summarise(entries: Entry[]): PlanSummary {
  const levels: LevelSummary[] = [];
  const levelAt = (level: number, policy: Policy): LevelSummary => {
    while (levels.length < level) {
      const n = levels.length + 1;
      levels.push({ level: n, label: policy.steps[n - 1]?.label ?? `level ${n}`, toSend: emptyBucket(),
        inProgress: emptyBucket() });
    }
    return levels[level - 1]!;
  };
  const outOfCycle = emptyBucket();
  const byReason: Partial<Record<ReasonCode, Bucket>> = {};
  for (const { item, policy } of entries) {
    levelAt(policy.steps.length, policy);
    if (item.action === 'send') addTo(levelAt(item.nextLevel!, policy).toSend, item);
    if (item.reason === null) continue;
    addTo((byReason[item.reason.code] ??= emptyBucket()), item);
    if (item.reason.code === 'out_of_cycle') addTo(outOfCycle, item);
    const waitingForNext = item.reason.code === 'not_yet_due' || item.reason.code === 'too_soon';
    if (waitingForNext && item.lastLevel > 0) addTo(levelAt(item.lastLevel, policy).inProgress, item);
  }
  return { levels, outOfCycle, byReason };
}

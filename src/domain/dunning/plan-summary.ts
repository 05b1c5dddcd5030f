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
 * Items come sorted by customer and currency, so a customer's sends in one currency are consecutive:
 * grouping is one scan, without a key string and map lookup per invoice.
 */
export function groupCommunications(items: PlanItem[], policies: Policy[], options: { grouping?: Grouping }): Communication[] {
  const groups: { key: string; members: number[] }[] = [];
  let open: { key: string; members: number[]; customer: string; currency: string } | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.action !== 'send') continue;
    const { customer, currency, invoice } = item;
    if ((options.grouping ?? policies[i]!.grouping) === 'invoice') {
      groups.push({ key: `${customer}|${currency}|${invoice}`, members: [i] });
      open = null;
    } else if (open !== null && open.customer === customer && open.currency === currency) {
      open.members.push(i);
    } else {
      open = { key: `${customer}|${currency}`, members: [i], customer, currency };
      groups.push(open);
    }
  }
  const communications: Communication[] = [];
  for (const { key, members } of groups) {
    // Plain loops: a plan has tens of thousands of groups, and a closure per group showed in profiles.
    let top = members[0]!;
    let totalCents = 0;
    let email = false;
    let letter = false;
    const invoices: PlanItem[] = [];
    for (const i of members) {
      const item = items[i]!;
      if (item.nextLevel! > items[top]!.nextLevel!) top = i;
      totalCents += item.balanceCents;
      for (const channel of item.channels) if (channel === 'email') email = true; else letter = true;
      invoices.push(item);
    }
    const first = items[top]!;
    const policy = policies[top]!;
    const level = first.nextLevel!;
    const step = policy.steps[level - 1]!;
    communications.push({
      key,
      customer: first.customer,
      customerId: first.customerId,
      currency: first.currency,
      level,
      label: step.label,
      formalNotice: step.formalNotice ?? false,
      claimCharges: (step.charges ?? false) && (policy.charges?.enabled ?? false),
      templates: step.templates ?? [],
      invoices,
      channels: email ? (letter ? ['email', 'letter'] : ['email']) : letter ? ['letter'] : [],
      total: formatAmount(totalCents, first.currency),
      totalCents,
    });
  }
  return communications;
}

/** eKo's categories: per level "to send" and "in progress" (level k sent, k+1 not due yet), and out of cycle. */
export function summarise(items: PlanItem[], policies: Policy[]): PlanSummary {
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

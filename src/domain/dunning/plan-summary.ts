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
 * grouping is one scan, without a key string and map lookup per invoice, each communication made as soon
 * as its last invoice is passed.
 */
export function groupCommunications(items: PlanItem[], policies: Policy[], options: { grouping?: Grouping }): Communication[] {
  const communications: Communication[] = [];
  // The group being filled: its items, the one at the highest level (the first of them), total and channels.
  let invoices: PlanItem[] = [];
  let key = '';
  let top = -1;
  let totalCents = 0;
  let email = false;
  let letter = false;
  // Whether the group takes the next send of its customer and currency (per customer, not per invoice).
  let open = false;
  const close = () => {
    if (top < 0) return;
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
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.action !== 'send') continue;
    const perInvoice = (options.grouping ?? policies[i]!.grouping) === 'invoice';
    const last = top < 0 ? null : items[top]!;
    if (perInvoice || !open || last!.customer !== item.customer || last!.currency !== item.currency) {
      close();
      key = perInvoice ? `${item.customer}|${item.currency}|${item.invoice}` : `${item.customer}|${item.currency}`;
      invoices = [];
      top = i;
      totalCents = 0;
      email = false;
      letter = false;
      open = !perInvoice;
    } else if (item.nextLevel! > last!.nextLevel!) {
      top = i;
    }
    invoices.push(item);
    totalCents += item.balanceCents;
    for (const channel of item.channels) if (channel === 'email') email = true; else letter = true;
  }
  close();
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

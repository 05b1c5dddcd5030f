import type { IsoDate } from '../domain/calendar.ts';
import type { PlanAction, PlanItem, ReasonCode } from '../domain/dunning/engine.ts';
import type { Channel } from '../domain/dunning/policy.ts';
import type { ItemCharges } from './plan-charges.ts';

/**
 * A part of a split plan as it crosses between threads. Copied as objects (structured clone), the 120,000
 * items and charges of half a 1M-invoice ledger took 0.6 s to cross, most of it in the receiving thread; here
 * the strings that repeat (customers, dates, labels, messages, amounts owed as indemnity…) cross once, in
 * tables, each item as indexes into them, and the receiver builds the same objects the planner builds.
 */
export type EncodedPart = {
  count: number;
  /** Per item: indexes into `texts` (-1 for null or absent) and numbers. */
  refs: Int32Array;
  numbers: Float64Array;
  texts: string[];
  /** Per item, the strings nearly always its own. */
  invoices: string[];
  balances: string[];
  interests: (string | null)[];
  policyIds: (string | null)[];
};

// The layout of `refs`, per item.
const CUSTOMER = 0;
const CUSTOMER_ID = 1;
const CURRENCY = 2;
const DUE = 3;
const ACTION = 4;
const LABEL = 5;
const REASON_CODE = 6;
const REASON_MESSAGE = 7;
const ELIGIBLE = 8;
const CHANNELS = 9;
const INDEMNITY = 10;
const CHARGE_CURRENCY = 11;
const NOTES = 12;
const REFS = 13;
// The layout of `numbers`, per item. nextLevel is NaN for null; `charged` says whether a charges entry exists.
const NEXT = 0;
const LAST = 1;
const DAYS = 2;
const CENTS = 3;
const CHARGED = 4;
const NUMBERS = 5;

// Joins a list that is one table entry; a newline is in no note, channel or notice text.
const SEP = '\n';

export function encodePart(planned: PlanItem[], policyIds: (string | null)[], charges: Map<string, ItemCharges>): EncodedPart {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const ref = (text: string | null | undefined): number => {
    if (text === null || text === undefined) return -1;
    let at = index.get(text);
    if (at === undefined) {
      at = texts.length;
      texts.push(text);
      index.set(text, at);
    }
    return at;
  };
  const count = planned.length;
  const refs = new Int32Array(count * REFS);
  const numbers = new Float64Array(count * NUMBERS);
  const invoices: string[] = new Array(count);
  const balances: string[] = new Array(count);
  const interests: (string | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const item = planned[i]!;
    const r = i * REFS;
    refs[r + CUSTOMER] = ref(item.customer);
    refs[r + CUSTOMER_ID] = ref(item.customerId);
    refs[r + CURRENCY] = ref(item.currency);
    refs[r + DUE] = ref(item.dueDate);
    refs[r + ACTION] = ref(item.action);
    refs[r + LABEL] = ref(item.label);
    refs[r + REASON_CODE] = ref(item.reason?.code);
    refs[r + REASON_MESSAGE] = ref(item.reason?.message);
    refs[r + ELIGIBLE] = ref(item.eligibleOn);
    refs[r + CHANNELS] = ref(item.channels.join(SEP));
    const n = i * NUMBERS;
    numbers[n + NEXT] = item.nextLevel ?? NaN;
    numbers[n + LAST] = item.lastLevel;
    numbers[n + DAYS] = item.daysOverdue;
    numbers[n + CENTS] = item.balanceCents;
    invoices[i] = item.invoice;
    balances[i] = item.balance;
    const charge = charges.get(item.invoice);
    interests[i] = charge?.interest ?? null;
    if (charge !== undefined) {
      numbers[n + CHARGED] = 1;
      refs[r + INDEMNITY] = ref(charge.indemnity);
      refs[r + CHARGE_CURRENCY] = ref(charge.currency);
      refs[r + NOTES] = ref(charge.notes.join(SEP));
    }
  }
  return { count, refs, numbers, texts, invoices, balances, interests, policyIds };
}

/**
 * The items (in the order they were encoded) and their charges, in that order too: the charges of a part are
 * made in its input order, which is its items' order before sorting.
 */
export function decodePart(part: EncodedPart): { planned: PlanItem[]; charges: [string, ItemCharges][] } {
  const { refs, numbers, texts } = part;
  const text = (at: number): string | null => (at < 0 ? null : texts[at]!);
  const list = (at: number): string[] => (texts[at] === '' ? [] : texts[at]!.split(SEP));
  const planned: PlanItem[] = new Array(part.count);
  const charges: [string, ItemCharges][] = [];
  for (let i = 0; i < part.count; i++) {
    const r = i * REFS;
    const n = i * NUMBERS;
    const next = numbers[n + NEXT]!;
    const code = text(refs[r + REASON_CODE]!);
    const eligible = text(refs[r + ELIGIBLE]!);
    // The planner's shape and property order (engine.ts, item()), so the plan serialises the same.
    planned[i] = {
      customer: texts[refs[r + CUSTOMER]!]!,
      customerId: texts[refs[r + CUSTOMER_ID]!]!,
      invoice: part.invoices[i]!,
      currency: texts[refs[r + CURRENCY]!]!,
      dueDate: texts[refs[r + DUE]!]! as IsoDate,
      action: texts[refs[r + ACTION]!]! as PlanAction,
      nextLevel: Number.isNaN(next) ? null : next,
      lastLevel: numbers[n + LAST]!,
      label: texts[refs[r + LABEL]!]!,
      daysOverdue: numbers[n + DAYS]!,
      balance: part.balances[i]!,
      balanceCents: numbers[n + CENTS]!,
      reason: code === null ? null : { code: code as ReasonCode, message: texts[refs[r + REASON_MESSAGE]!]! },
      eligibleOn: eligible === null ? undefined : eligible as IsoDate,
      channels: list(refs[r + CHANNELS]!) as Channel[],
    };
    if (numbers[n + CHARGED] === 1) {
      charges.push([part.invoices[i]!, { interest: part.interests[i]!, indemnity: text(refs[r + INDEMNITY]!),
        currency: texts[refs[r + CHARGE_CURRENCY]!]!, notes: list(refs[r + NOTES]!) }]);
    }
  }
  return { planned, charges };
}

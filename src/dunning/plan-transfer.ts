import type { IsoDate } from '../domain/calendar.ts';
import type { PlanAction, PlanItem, ReasonCode } from '../domain/dunning/engine.ts';
import type { Channel } from '../domain/dunning/policy.ts';
import type { ItemCharges } from './plan-charges.ts';

/**
 * A part of a split plan as it crosses between threads. Copied as objects (structured clone), the 120,000
 * items and charges of half a 1M-invoice ledger took 0.6 s to cross, most of it in the receiving thread; here
 * numbers cross in typed arrays, the strings many items share (customers, labels, channels, indemnities…) once
 * in a table, the others in one array per field, and the receiver builds the objects the planner builds.
 */
export type EncodedPart = {
  count: number;
  /** Per item: indexes into `texts` (-1 for null) of the strings many items share, and numbers. */
  refs: Int32Array;
  numbers: Float64Array;
  texts: string[];
  /** Per item, the strings read or written for it alone (null for none). */
  invoices: string[];
  dueDates: string[];
  balances: string[];
  messages: (string | null)[];
  eligibleOns: (string | null)[];
  interests: (string | null)[];
  policyIds: (string | null)[];
};

// The layout of `refs`, per item. Only strings shared by many items go in the table: looking up a string the
// table already holds (the same object) is cheap, hashing one made for this item alone is not.
// CUSTOMER is the index of the customer's code; its id follows it.
const CUSTOMER = 0;
const CURRENCY = 1;
const ACTION = 2;
const LABEL = 3;
const REASON_CODE = 4;
const CHANNELS = 5;
const INDEMNITY = 6;
const CHARGE_CURRENCY = 7;
const NOTES = 8;
const LAW = 9;
const RATE = 10;
const INDEMNITY_CURRENCY = 11;
const REFS = 12;
// The layout of `numbers`, per item. nextLevel is NaN for null; `charged` says whether a charges entry exists.
const NEXT = 0;
const LAST = 1;
const DAYS = 2;
const CENTS = 3;
const CHARGED = 4;
const CLAIMED = 5;
const NUMBERS = 6;

// Joins a list that is one table entry; a newline is in no note or channel.
const SEP = '\n';

/** A list as one table entry; a list of one is its element itself, the same string object for every item. */
function listKey(list: readonly string[]): string {
  return list.length === 0 ? '' : list.length === 1 ? list[0]! : list.join(SEP);
}

export function encodePart(
  planned: PlanItem[],
  policyIds: (string | null)[],
  charges: Map<string, ItemCharges>,
): EncodedPart {
  const texts: string[] = [];
  // Two maps: the few labels, codes and amounts are looked up for every item in one small enough to stay in
  // the processor's cache, the customers (a pair of texts each, code then id) in another.
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
  const customers = new Map<string, number>();
  const count = planned.length;
  const refs = new Int32Array(count * REFS);
  const numbers = new Float64Array(count * NUMBERS);
  const invoices: string[] = new Array(count);
  const dueDates: string[] = new Array(count);
  const balances: string[] = new Array(count);
  const messages: (string | null)[] = new Array(count);
  const eligibleOns: (string | null)[] = new Array(count);
  const interests: (string | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const item = planned[i]!;
    const r = i * REFS;
    let customer = customers.get(item.customerId);
    if (customer === undefined) {
      customer = texts.length;
      texts.push(item.customer, item.customerId);
      customers.set(item.customerId, customer);
    }
    refs[r + CUSTOMER] = customer;
    refs[r + CURRENCY] = ref(item.currency);
    refs[r + ACTION] = ref(item.action);
    refs[r + LABEL] = ref(item.label);
    refs[r + REASON_CODE] = ref(item.reason?.code);
    refs[r + CHANNELS] = ref(listKey(item.channels));
    const n = i * NUMBERS;
    numbers[n + NEXT] = item.nextLevel ?? NaN;
    numbers[n + LAST] = item.lastLevel;
    numbers[n + DAYS] = item.daysOverdue;
    numbers[n + CENTS] = item.balanceCents;
    invoices[i] = item.invoice;
    dueDates[i] = item.dueDate;
    balances[i] = item.balance;
    messages[i] = item.reason?.message ?? null;
    eligibleOns[i] = item.eligibleOn ?? null;
    const charge = charges.get(item.invoice);
    interests[i] = charge?.interest ?? null;
    if (charge !== undefined) {
      numbers[n + CHARGED] = 1;
      refs[r + INDEMNITY] = ref(charge.indemnity);
      refs[r + CHARGE_CURRENCY] = ref(charge.currency);
      refs[r + NOTES] = ref(listKey(charge.notes));
      refs[r + LAW] = ref(charge.law);
      refs[r + RATE] = ref(charge.rate);
      refs[r + INDEMNITY_CURRENCY] = ref(charge.indemnityCurrency);
      numbers[n + CLAIMED] = charge.chargesClaimed ? 1 : 0;
    }
  }
  return { count, refs, numbers, texts, invoices, dueDates, balances, messages, eligibleOns, interests, policyIds };
}

/** The items, in the order they were encoded, and their charges in that order too. */
export function decodePart(part: EncodedPart): { planned: PlanItem[]; charges: [string, ItemCharges][] } {
  const { refs, numbers, texts } = part;
  const list = (at: number): string[] => (texts[at] === '' ? [] : texts[at]!.split(SEP));
  const planned: PlanItem[] = new Array(part.count);
  const charges: [string, ItemCharges][] = [];
  for (let i = 0; i < part.count; i++) {
    const r = i * REFS;
    const n = i * NUMBERS;
    const next = numbers[n + NEXT]!;
    const code = refs[r + REASON_CODE]!;
    const eligible = part.eligibleOns[i]!;
    // The planner's shape and property order (engine.ts, item()), so the plan serialises the same.
    planned[i] = {
      customer: texts[refs[r + CUSTOMER]!]!,
      customerId: texts[refs[r + CUSTOMER]! + 1]!,
      invoice: part.invoices[i]!,
      currency: texts[refs[r + CURRENCY]!]!,
      dueDate: part.dueDates[i]! as IsoDate,
      action: texts[refs[r + ACTION]!]! as PlanAction,
      nextLevel: Number.isNaN(next) ? null : next,
      lastLevel: numbers[n + LAST]!,
      label: texts[refs[r + LABEL]!]!,
      daysOverdue: numbers[n + DAYS]!,
      balance: part.balances[i]!,
      balanceCents: numbers[n + CENTS]!,
      reason: code < 0 ? null : { code: texts[code] as ReasonCode, message: part.messages[i]! },
      eligibleOn: eligible === null ? undefined : (eligible as IsoDate),
      channels: list(refs[r + CHANNELS]!) as Channel[],
    };
    if (numbers[n + CHARGED] === 1) {
      const indemnity = refs[r + INDEMNITY]!;
      const rate = refs[r + RATE]!;
      charges.push([
        part.invoices[i]!,
        {
          interest: part.interests[i]!,
          indemnity: indemnity < 0 ? null : texts[indemnity]!,
          currency: texts[refs[r + CHARGE_CURRENCY]!]!,
          notes: list(refs[r + NOTES]!),
          indemnityCurrency: texts[refs[r + INDEMNITY_CURRENCY]!]!,
          law: texts[refs[r + LAW]!]!,
          rate: rate < 0 ? null : texts[rate]!,
          chargesClaimed: numbers[n + CLAIMED] === 1,
        },
      ]);
    }
  }
  return { planned, charges };
}

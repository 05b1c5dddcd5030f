import { fakerFR } from '@faker-js/faker';
import { Temporal } from 'temporal-polyfill';
import type { IsoDate } from '../domain/calendar.ts';
import type { CustomerKind, PaymentMethod } from '../domain/ledger.ts';

/**
 * Realistic, deterministic French SMB ledger: the same seed gives the same data whatever the sink
 * (database, CSV files) and whatever the chunking, so demos, tests and every benchmark share it.
 */
export type DemoOptions = { customers: number; invoices: number; seed: number; asOf: IsoDate };

export type DemoCustomer = {
  code: string;
  name: string;
  kind: CustomerKind;
  email: string;
  phone: string;
  siren: string | null;
  vat: string | null;
  address1: string;
  postcode: string;
  city: string;
  country: string;
  language: 'fr' | 'en';
  salesRep: string;
};

export type DemoSettlement =
  | { kind: 'payment'; date: IsoDate; amount: number; method: PaymentMethod; reference: string }
  | { kind: 'credit_note'; number: string; date: IsoDate; amount: number };

export type DemoInvoice = {
  number: string;
  customerIndex: number;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: 'EUR';
  totalExclTax: number;
  total: number;
  title: string;
  salesRep: string;
  settlements: DemoSettlement[];
  disputeReason: string | null;
  promiseToPayDate: IsoDate | null;
};

export const SALES_REPS = [
  'Claire Martin',
  'Julien Bernard',
  'Sophie Petit',
  'Nicolas Durand',
  'Amélie Leroy',
  'Thomas Moreau',
];
const TITLES = [
  'Prestation de conseil',
  'Maintenance annuelle',
  'Fourniture de matériel',
  'Formation sur site',
  'Développement logiciel',
  'Abonnement mensuel',
  'Travaux de rénovation',
  'Location de matériel',
  'Audit comptable',
  'Transport et livraison',
  'Installation chaudière',
  'Création graphique',
];
const DISPUTES = ['Livraison incomplète', 'Montant contesté', 'Prestation non conforme', 'Facture en double'];
const METHODS: PaymentMethod[] = ['transfer', 'transfer', 'transfer', 'transfer', 'cheque', 'direct_debit', 'card'];
const TERMS = [30, 30, 30, 45, 60, 0];

/** Small, fast, seedable PRNG (mulberry32): faker is only used for names and addresses. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function luhnSiren(random: () => number): string {
  const digits = Array.from({ length: 8 }, (_, i) =>
    i === 0 ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10),
  );
  for (let check = 0; check < 10; check++) {
    const candidate = [...digits, check];
    let sum = 0;
    candidate.forEach((d, i) => {
      let v = d;
      if ((candidate.length - 1 - i) % 2 === 1) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
    });
    if (sum % 10 === 0) return candidate.join('');
  }
  return digits.join('') + '0';
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 30) || 'client'
  );
}

export function* demoCustomers(options: DemoOptions): Generator<DemoCustomer> {
  const random = randomSource(options.seed);
  fakerFR.seed(options.seed);
  for (let i = 0; i < options.customers; i++) {
    const kind: CustomerKind = random() < 0.85 ? 'company' : 'individual';
    const name = kind === 'company' ? fakerFR.company.name() : fakerFR.person.fullName();
    const siren = kind === 'company' ? luhnSiren(random) : null;
    const foreign = random() < 0.05;
    yield {
      code: `C${String(i + 1).padStart(6, '0')}`,
      name,
      kind,
      email: kind === 'company' ? `compta@${slug(name)}.fr` : `${slug(name)}@exemple.fr`,
      phone: `0${1 + Math.floor(random() * 5)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      siren,
      vat: siren ? `FR${String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0')}${siren}` : null,
      address1: fakerFR.location.streetAddress(),
      postcode: fakerFR.location.zipCode(),
      city: fakerFR.location.city(),
      country: foreign ? 'BE' : 'FR',
      language: foreign && random() < 0.5 ? 'en' : 'fr',
      salesRep: SALES_REPS[Math.floor(random() * SALES_REPS.length)]!,
    };
  }
}

function roundCents(value: number): number {
  return Math.max(100, Math.round(value));
}

/**
 * Invoices over the 18 months before `asOf`. Older ones are mostly paid (on time or late, sometimes in
 * part, sometimes with a credit note); a few are disputed or promised; recent ones are mostly open.
 */
export function* demoInvoices(options: DemoOptions): Generator<DemoInvoice> {
  if (options.invoices > 0 && options.customers < 1) throw new RangeError('demo invoices need at least one customer');
  const random = randomSource(options.seed * 7919 + 17);
  const asOf = Temporal.PlainDate.from(options.asOf);
  const span = 540;
  const counters = new Map<string, number>();
  const customers = Math.max(1, options.customers);
  // Dates in increasing order, so invoice numbers follow issue dates as in a real sales ledger.
  for (let i = 0; i < options.invoices; i++) {
    const issue = asOf.subtract({ days: span - Math.floor((i / Math.max(1, options.invoices)) * span) });
    const prefix = `FC${String(issue.year % 100).padStart(2, '0')}${String(issue.month).padStart(2, '0')}`;
    const seq = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, seq);
    const terms = TERMS[Math.floor(random() * TERMS.length)]!;
    const due = issue.add({ days: terms });
    // A few customers buy a lot: skew towards low indexes.
    const customerIndex = Math.floor(customers * random() ** 1.6);
    const excl = roundCents(Math.exp(Math.log(5_000) + random() * Math.log(2_000)) * (random() < 0.5 ? 1 : 0.4));
    const total = Math.round(excl * 1.2);
    const age = due.until(asOf).days;
    const settlements: DemoSettlement[] = [];
    const roll = random();
    const pay = (days: number, amount: number) => {
      const date = due.add({ days });
      if (Temporal.PlainDate.compare(date, asOf) <= 0 && amount > 0) {
        settlements.push({
          kind: 'payment',
          date: date.toString(),
          amount,
          method: METHODS[Math.floor(random() * METHODS.length)]!,
          reference: `VIR-${prefix}-${seq}`,
        });
      }
    };
    if (age > 0 && roll < 0.78) pay(Math.floor(random() * Math.min(age, 45)) - 10, total);
    else if (age > 0 && roll < 0.86)
      pay(Math.floor(random() * Math.min(age, 30)), Math.round(total * (0.2 + random() * 0.5)));
    else if (roll < 0.89) {
      const date = issue.add({ days: Math.min(10, Math.max(0, issue.until(asOf).days)) });
      settlements.push({
        kind: 'credit_note',
        number: `AV${prefix.slice(2)}${String(seq).padStart(5, '0')}`,
        date: date.toString(),
        amount: Math.round(total * (0.1 + random() * 0.3)),
      });
    }
    const open = !(settlements.length === 1 && settlements[0]!.amount === total);
    yield {
      number: `${prefix}${String(seq).padStart(5, '0')}`,
      customerIndex,
      issueDate: issue.toString(),
      dueDate: due.toString(),
      currency: 'EUR',
      totalExclTax: excl,
      total,
      title: TITLES[Math.floor(random() * TITLES.length)]!,
      salesRep: SALES_REPS[Math.floor(random() * SALES_REPS.length)]!,
      settlements,
      disputeReason: open && age > 20 && random() < 0.03 ? DISPUTES[Math.floor(random() * DISPUTES.length)]! : null,
      promiseToPayDate:
        open && age > 10 && random() < 0.03 ? asOf.add({ days: 1 + Math.floor(random() * 20) }).toString() : null,
    };
  }
}

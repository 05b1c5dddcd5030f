import type { Cents } from '../../domain/money.ts';
import type { BankLine } from './camt053.ts';

export type OpenInvoice = {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  dueDate: string;
  balance: Cents;
};
export type MatchCustomer = { id: string; name: string };

export type MatchRule = 'direct_debit' | 'direct_debit_batch' | 'reference' | 'amount_and_customer';
/** A direct debit of ours still pending, with the references of its file (message id, payment-information id). */
export type PendingDebit = {
  endToEndId: string;
  invoiceId: string;
  customerId: string;
  amount: Cents;
  batchKeys: string[];
};
export type Match =
  | { kind: 'matched'; rule: MatchRule; customerId: string; allocations: { invoiceId: string; amount: Cents }[] }
  /** A bank that credits a whole pain.008 file (or one of its blocks) as one amount: each debit is settled. */
  | { kind: 'batch'; rule: 'direct_debit_batch'; debits: PendingDebit[] }
  /** `reason` in English; `code` and `params` say it from the catalogue (`reason.bank.*`). */
  | { kind: 'unmatched'; reason: string; code: string; params?: Record<string, string | number> };

/** Upper case letters and digits only: `F-2026/001` and `f2026001` are the same reference. */
export function normaliseReference(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

function normaliseName(name: string): string {
  return ` ${name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()} `;
}

// Legal forms and courtesy words a bank shortens or adds; they say nothing about who paid.
const NOISE = / (SARL|SAS|SASU|SA|EURL|SCI|SNC|EI|EIRL|STE|SOCIETE|ETS|M|MME|MR|MLLE|ET|DE|DU|DES|LA|LE|LES)(?= )/g;

/**
 * Who a credit comes from: the customer whose mandate IBAN paid it, else the one whose name the bank
 * shows (legal forms and word order aside, one name containing the other); null when none or several.
 */
function payer(line: BankLine, customers: MatchCustomer[], mandateIbans: Map<string, string>): string | null {
  if (line.counterpartyIban) {
    const byIban = mandateIbans.get(line.counterpartyIban.replace(/\s/g, '').toUpperCase());
    if (byIban) return byIban;
  }
  if (!line.counterparty) return null;
  const shown = normaliseName(line.counterparty).replace(NOISE, '');
  if (shown.trim().length < 3) return null;
  const found = customers.filter((c) => {
    const name = normaliseName(c.name).replace(NOISE, '');
    return name.trim().length >= 3 && (shown.includes(name) || name.includes(shown));
  });
  return found.length === 1 ? found[0]!.id : null;
}

/** Spreads `amount` over invoices, earliest due first; what is left stays as unallocated credit. */
function spread(amount: Cents, invoices: OpenInvoice[]): { invoiceId: string; amount: Cents }[] {
  const allocations: { invoiceId: string; amount: Cents }[] = [];
  let left = amount;
  for (const invoice of [...invoices].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number),
  )) {
    if (left <= 0) break;
    const part = Math.min(left, invoice.balance);
    if (part > 0) allocations.push({ invoiceId: invoice.id, amount: part });
    left -= part;
  }
  return allocations;
}

export type MatchIndex = {
  byReference: Map<string, OpenInvoice[]>;
  byCustomer: Map<string, OpenInvoice[]>;
  byId: Map<string, OpenInvoice>;
  customers: MatchCustomer[];
  mandateIbans: Map<string, string>;
  /** End-to-end id of a pending direct debit → its invoice. */
  directDebits: Map<string, string>;
  /** Normalised message or payment-information id of a pain.008 file → its pending debits. */
  debitBatches: Map<string, PendingDebit[]>;
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildMatchIndex(
  invoices: OpenInvoice[],
  customers: MatchCustomer[],
  mandateIbans: Map<string, string>,
  debits: PendingDebit[],
): MatchIndex {
  const debitBatches = new Map<string, PendingDebit[]>();
  for (const debit of debits) for (const key of debit.batchKeys) push(debitBatches, normaliseReference(key), debit);
  const byReference = new Map<string, OpenInvoice[]>();
  const byCustomer = new Map<string, OpenInvoice[]>();
  for (const invoice of invoices) {
    const key = normaliseReference(invoice.number);
    // Numbers of one or two characters appear in any text by chance; they are matched by amount only.
    if (key.length >= 3) push(byReference, key, invoice);
    push(byCustomer, invoice.customerId, invoice);
  }
  return {
    byReference,
    byCustomer,
    byId: new Map(invoices.map((i) => [i.id, i])),
    customers,
    mandateIbans,
    directDebits: new Map(debits.map((d) => [d.endToEndId, d.invoiceId])),
    debitBatches,
  };
}

/**
 * Matches a credit to open invoices: a pending direct debit by its end-to-end id, or a whole file of them
 * by its message or payment-information id and total; else the invoice
 * numbers written in the references (all of one customer and currency); else the customer (mandate
 * IBAN or name) and an amount equal to one open invoice's balance, or to all of them together.
 * Anything ambiguous is left for a person.
 */
export function matchCredit(line: BankLine, index: MatchIndex): Match {
  if (line.amount <= 0) return { kind: 'unmatched', reason: 'not a credit', code: 'reason.bank.notCredit' };
  const open = (i: OpenInvoice | undefined): i is OpenInvoice =>
    i !== undefined && i.balance > 0 && i.currency === line.currency;
  if (line.endToEndId) {
    const invoice = index.byId.get(index.directDebits.get(line.endToEndId) ?? '');
    if (open(invoice))
      return {
        kind: 'matched',
        rule: 'direct_debit',
        customerId: invoice.customerId,
        allocations: spread(line.amount, [invoice]),
      };
  }
  const tokens = new Set(
    (line.reference ?? '')
      .split(/[\s,;:+()[\]{}"'|]+/)
      .map(normaliseReference)
      .filter((t) => t.length >= 3),
  );
  for (const token of tokens) {
    const batch = index.debitBatches.get(token);
    if (
      batch &&
      batch.reduce((sum, d) => sum + d.amount, 0) === line.amount &&
      batch.every((d) => {
        const i = index.byId.get(d.invoiceId);
        return open(i) && i.balance >= d.amount;
      })
    ) {
      return { kind: 'batch', rule: 'direct_debit_batch', debits: batch };
    }
  }
  const referenced = [...tokens].flatMap((t) => index.byReference.get(t) ?? []).filter(open);
  const unique = [...new Map(referenced.map((i) => [i.id, i])).values()];
  if (unique.length > 0) {
    const customers = new Set(unique.map((i) => i.customerId));
    if (customers.size > 1)
      return {
        kind: 'unmatched',
        reason: `references invoices of ${customers.size} customers`,
        code: 'reason.bank.severalCustomers',
        params: { count: customers.size },
      };
    return {
      kind: 'matched',
      rule: 'reference',
      customerId: unique[0]!.customerId,
      allocations: spread(line.amount, unique),
    };
  }
  const customerId = payer(line, index.customers, index.mandateIbans);
  if (!customerId)
    return {
      kind: 'unmatched',
      reason: 'no invoice number in the reference and payer not recognised',
      code: 'reason.bank.unknownPayer',
    };
  const invoices = (index.byCustomer.get(customerId) ?? []).filter(open);
  const exact = invoices.filter((i) => i.balance === line.amount);
  if (exact.length === 1)
    return { kind: 'matched', rule: 'amount_and_customer', customerId, allocations: spread(line.amount, exact) };
  if (exact.length > 1)
    return {
      kind: 'unmatched',
      reason: `${exact.length} open invoices of the payer have this amount`,
      code: 'reason.bank.sameAmount',
      params: { count: exact.length },
    };
  const total = invoices.reduce((sum, i) => sum + i.balance, 0);
  if (invoices.length > 1 && total === line.amount) {
    return { kind: 'matched', rule: 'amount_and_customer', customerId, allocations: spread(line.amount, invoices) };
  }
  return { kind: 'unmatched', reason: 'no open invoice of the payer has this amount', code: 'reason.bank.noAmount' };
}

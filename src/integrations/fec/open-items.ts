import type { IsoDate } from '../../domain/calendar.ts';
import type { Cents } from '../../domain/money.ts';
import type { FecLine } from './read-fec.ts';

export type FecInvoice = {
  customerCode: string;
  number: string;
  issueDate: IsoDate;
  total: Cents;
  currency: string;
  line: number;
};
export type FecSettlement = {
  customerCode: string;
  kind: 'payment' | 'credit_note';
  key: string;
  number: string;
  date: IsoDate;
  amount: Cents;
  currency: string;
  method: 'transfer' | 'other';
  /** Invoices of the same lettering the amount goes to (earliest first); empty when not lettered. */
  allocateTo: string[];
};

export type FecOpenItems = {
  customers: Map<string, string>;
  invoices: FecInvoice[];
  settlements: FecSettlement[];
  summary: {
    lines: number;
    customerLines: number;
    otherAccountLines: number;
    /** Lettering groups whose debits and credits balance: paid, left out. */
    settledGroups: number;
    settledAmount: Cents;
    partlyLettered: number;
    unletteredCredits: number;
  };
};

/** Customer accounts of the French chart of accounts (411 clients, 4111…, 411DUPONT). */
export function isCustomerAccount(account: string): boolean {
  return account.startsWith('411');
}

function isSalesJournal(line: FecLine): boolean {
  return /^V/i.test(line.journal) || /vente/i.test(line.journalLabel);
}

function isBankJournal(line: FecLine): boolean {
  return /^(B|BQ|BNQ)/i.test(line.journal) || /banque|bank/i.test(line.journalLabel);
}

/**
 * What is still open on the customer accounts of a FEC. Lines of each customer (auxiliary account, else
 * the 411 account itself) are grouped by lettering: a lettered group that balances is paid and left
 * out (a lettering dated after `asOf` is not counted yet); in a group that does not balance (partial
 * lettering) the debits are invoices and the credits the payments or credit notes allocated to them;
 * unlettered debits are open invoices and unlettered credits the customer's unallocated credit.
 */
export function fecOpenItems(lines: FecLine[], options: { currency: string; asOf?: IsoDate }): FecOpenItems {
  const summary = {
    lines: lines.length,
    customerLines: 0,
    otherAccountLines: 0,
    settledGroups: 0,
    settledAmount: 0,
    partlyLettered: 0,
    unletteredCredits: 0,
  };
  const customers = new Map<string, string>();
  const groups = new Map<string, FecLine[]>();
  for (const line of lines) {
    if (!isCustomerAccount(line.account)) {
      summary.otherAccountLines++;
      continue;
    }
    summary.customerLines++;
    const code = line.auxAccount || line.account;
    if (!customers.has(code) || !customers.get(code)) customers.set(code, line.auxLabel || line.accountLabel);
    const lettered =
      line.lettering !== '' && (!options.asOf || !line.letteringDate || line.letteringDate <= options.asOf);
    const key = `${code}\u0000${lettered ? line.lettering : ''}`;
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  const invoices = new Map<string, FecInvoice>();
  const settlements = new Map<string, FecSettlement>();
  for (const [key, group] of groups) {
    const [code, lettering] = key.split('\u0000') as [string, string];
    const debit = group.reduce((s, l) => s + l.debit, 0);
    const credit = group.reduce((s, l) => s + l.credit, 0);
    if (lettering !== '' && debit === credit) {
      summary.settledGroups++;
      summary.settledAmount += debit;
      continue;
    }
    if (lettering !== '') summary.partlyLettered++;
    const numbers: string[] = [];
    for (const line of group) {
      const currency =
        line.foreignCurrency && line.foreignCurrency !== options.currency ? line.foreignCurrency : options.currency;
      const net = line.debit - line.credit;
      if (net > 0) {
        const number = line.pieceRef || line.entryNumber;
        const amount = currency === options.currency ? net : (line.foreignAmount ?? net);
        const existing = invoices.get(number);
        if (existing && existing.customerCode === code) existing.total += amount;
        else
          invoices.set(number, {
            customerCode: code,
            number,
            issueDate: line.pieceDate ?? line.entryDate,
            total: amount,
            currency,
            line: line.line,
          });
        if (!numbers.includes(number)) numbers.push(number);
      }
    }
    for (const line of group) {
      const net = line.credit - line.debit;
      if (net <= 0) continue;
      const currency =
        line.foreignCurrency && line.foreignCurrency !== options.currency ? line.foreignCurrency : options.currency;
      const kind = isSalesJournal(line) ? 'credit_note' : 'payment';
      const settlementKey = `fec:${line.journal}:${line.entryNumber}:${line.pieceRef}:${code}`;
      const existing = settlements.get(settlementKey);
      if (existing) {
        existing.amount += net;
        continue;
      }
      if (lettering === '') summary.unletteredCredits++;
      settlements.set(settlementKey, {
        customerCode: code,
        kind,
        key: settlementKey,
        number: line.pieceRef || `FEC-${line.entryNumber}`,
        date: line.entryDate,
        amount: currency === options.currency ? net : (line.foreignAmount ?? net),
        currency,
        method: isBankJournal(line) ? 'transfer' : 'other',
        allocateTo: lettering === '' ? [] : numbers,
      });
    }
  }
  return { customers, invoices: [...invoices.values()], settlements: [...settlements.values()], summary };
}

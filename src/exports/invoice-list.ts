import type { IsoDate } from '../domain/calendar.ts';
import { formatAmount } from '../domain/money.ts';
import type { InvoiceListItem } from '../storage/invoices.ts';
import type { Cell, Column, ReportDocument } from './table.ts';
import { toXlsx } from './xlsx.ts';

/** The invoice list as the web app's Invoices screen shows it, one row per invoice, columns named for machines. */
const COLUMNS: Column[] = [
  { header: 'number', kind: 'text' },
  { header: 'customer_code', kind: 'text' },
  { header: 'customer', kind: 'text' },
  { header: 'issue_date', kind: 'date' },
  { header: 'due_date', kind: 'date' },
  { header: 'currency', kind: 'text' },
  { header: 'total_excl_tax', kind: 'money' },
  { header: 'total', kind: 'money' },
  { header: 'balance', kind: 'money' },
  { header: 'days_overdue', kind: 'count' },
  { header: 'sales_rep', kind: 'text' },
  { header: 'disputed', kind: 'text' },
  { header: 'last_reminder_on', kind: 'date' },
  { header: 'title', kind: 'text' },
  { header: 'overdue_from', kind: 'date' },
  { header: 'next_reminder_on', kind: 'date' },
];

function row(i: InvoiceListItem): Cell[] {
  const money = (cents: number | null) => (cents === null ? null : { cents, currency: i.currency });
  return [
    i.number,
    i.customerCode,
    i.customerName,
    i.issueDate,
    i.dueDate,
    i.currency,
    money(i.totalExclTax),
    money(i.total),
    money(i.balance),
    i.daysOverdue,
    i.salesRep ?? null,
    i.disputeReason ?? null,
    i.lastReminderOn,
    i.title,
    i.overdueFrom,
    i.nextActionDate,
  ];
}

/** The invoice list as a spreadsheet: one sheet, amounts as numbers in their currency, dates as dates. */
export function invoiceListXlsx(rows: InvoiceListItem[], asOf: IsoDate): Promise<Buffer> {
  const document: ReportDocument = {
    title: 'Factures',
    date: asOf,
    language: 'fr',
    tables: [{ title: 'Factures', columns: COLUMNS, rows: rows.map(row) }],
  };
  return toXlsx(document);
}

/**
 * The invoice list as CSV as a French Excel opens it directly: semicolons, a BOM, decimal commas, and a text a
 * spreadsheet would run as a formula defused with a quote mark.
 */
export function invoiceListCsv(rows: InvoiceListItem[]): string {
  const cell = (value: Cell): string => {
    if (value === null) return '';
    const text =
      typeof value === 'object'
        ? formatAmount(value.cents, value.currency).replace('.', ',')
        : typeof value === 'number'
          ? String(value)
          : /^[=+\-@\t\r]/.test(value)
            ? `'${value}`
            : value;
    return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [COLUMNS.map((c) => c.header).join(';'), ...rows.map((r) => row(r).map(cell).join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

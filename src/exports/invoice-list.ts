import type { IsoDate } from '../domain/calendar.ts';
import { formatAmount } from '../domain/money.ts';
import type { InvoiceListItem } from '../storage/invoices.ts';
import type { Cell, Column, ReportDocument } from './table.ts';
import { toXlsx } from './xlsx.ts';

/** The invoice list's columns, in the order the web app's Invoices screen shows them; their headers are translated. */
export const INVOICE_EXPORT_COLUMNS = [
  'number',
  'customer_code',
  'customer',
  'issue_date',
  'due_date',
  'currency',
  'total_excl_tax',
  'total',
  'balance',
  'days_overdue',
  'sales_rep',
  'disputed',
  'last_reminder_on',
  'title',
  'overdue_from',
  'next_reminder_on',
] as const;

const KINDS: Column['kind'][] = [
  'text',
  'text',
  'text',
  'date',
  'date',
  'text',
  'money',
  'money',
  'money',
  'count',
  'text',
  'text',
  'date',
  'text',
  'date',
  'date',
];

/** The columns under the reader's headers ("N° facture", "Montant TTC"); without them, the machine names. */
function columns(headers: readonly string[] = INVOICE_EXPORT_COLUMNS): Column[] {
  return KINDS.map((kind, i) => ({ header: headers[i] ?? INVOICE_EXPORT_COLUMNS[i]!, kind }));
}

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
export function invoiceListXlsx(rows: InvoiceListItem[], asOf: IsoDate, headers?: readonly string[]): Promise<Buffer> {
  const document: ReportDocument = {
    title: 'Factures',
    date: asOf,
    language: 'fr',
    tables: [{ title: 'Factures', columns: columns(headers), rows: rows.map(row) }],
  };
  return toXlsx(document);
}

/**
 * The invoice list as CSV as a French Excel opens it directly: semicolons, a BOM, decimal commas, and a text a
 * spreadsheet would run as a formula defused with a quote mark.
 */
export function invoiceListCsv(rows: InvoiceListItem[], headers?: readonly string[]): string {
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
  const lines = [
    columns(headers)
      .map((c) => cell(c.header))
      .join(';'),
    ...rows.map((r) => row(r).map(cell).join(';')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

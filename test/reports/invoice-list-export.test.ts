import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { invoiceListCsv, invoiceListXlsx } from '../../src/exports/invoice-list.ts';
import type { InvoiceListItem } from '../../src/storage/invoices.ts';

const invoice = (number: string, overrides: Partial<InvoiceListItem> = {}): InvoiceListItem => ({
  id: `id-${number}`,
  number,
  customerId: 'c1',
  issueDate: '2026-01-02',
  dueDate: '2026-02-01',
  currency: 'EUR',
  totalExclTax: 100_000,
  total: 120_050,
  allocated: 20_000,
  title: null,
  salesRep: 'Marie',
  status: 'issued',
  disputed: false,
  disputeReason: null,
  promiseToPayDate: null,
  customerCode: 'MARTIN',
  customerName: 'Boulangerie Martin',
  balance: 100_050,
  daysOverdue: 30,
  lastReminderOn: '2026-02-20',
  overdueFrom: '2026-02-02',
  nextActionDate: null,
  ...overrides,
});

describe('the invoice list export (Invoices screen)', () => {
  const rows = [
    invoice('F-1'),
    invoice('F-2', { customerName: '=HYPERLINK("http://x")', currency: 'JPY', total: 5_000 }),
  ];

  it('writes the spreadsheet through the one XLSX writer: numbers in their currency, dates as dates, formulas as text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await invoiceListXlsx(rows, '2026-03-03')) as never);
    const sheet = workbook.getWorksheet('Factures')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('number');
    expect(sheet.getRow(2).getCell(8).value).toBe(1200.5);
    expect(sheet.getRow(2).getCell(5).value).toEqual(new Date('2026-02-01T00:00:00Z'));
    expect(sheet.getRow(3).getCell(8).value).toBe(5000);
    expect(sheet.getRow(3).getCell(3).value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getRow(3).getCell(3).formula).toBeUndefined();
  });

  it('writes the CSV a French Excel opens: BOM, semicolons, decimal commas in each currency, formulas defused', () => {
    const lines = invoiceListCsv(rows)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]!.split(';').slice(0, 3)).toEqual(['number', 'customer_code', 'customer']);
    expect(lines[1]!.split(';').slice(6, 9)).toEqual(['1000,00', '1200,50', '1000,50']);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[2]!.split(';')[7]).toBe('5000');
  });
});

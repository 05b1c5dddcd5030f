import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { formatAmount } from '../domain/money.ts';
import { demoCustomers, demoInvoices, type DemoOptions } from './generator.ts';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class CsvFile {
  private readonly stream;
  private buffer: string[] = [];

  constructor(path: string, header: string[]) {
    this.stream = createWriteStream(path);
    this.buffer.push(header.join(','));
  }

  async row(values: (string | number | null)[]): Promise<void> {
    this.buffer.push(values.map(cell).join(','));
    if (this.buffer.length >= 5000) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const ok = this.stream.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
    if (!ok) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** The demo ledger as the four canonical import files, for the import benchmark and for trying imports. */
export async function writeDemoCsv(dir: string, options: DemoOptions): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const paths = {
    customers: join(dir, 'customers.csv'),
    invoices: join(dir, 'invoices.csv'),
    payments: join(dir, 'payments.csv'),
    'credit-notes': join(dir, 'credit-notes.csv'),
  };
  const customers = new CsvFile(paths.customers, [
    'code',
    'name',
    'kind',
    'email',
    'siren',
    'vat',
    'address1',
    'postcode',
    'city',
    'country',
    'language',
    'sales_rep',
    'phone',
  ]);
  const codes: string[] = [];
  for (const c of demoCustomers(options)) {
    codes.push(c.code);
    await customers.row([
      c.code,
      c.name,
      c.kind,
      c.email,
      c.siren,
      c.vat,
      c.address1,
      c.postcode,
      c.city,
      c.country,
      c.language,
      c.salesRep,
      c.phone,
    ]);
  }
  await customers.close();
  const invoices = new CsvFile(paths.invoices, [
    'number',
    'customer',
    'issue_date',
    'due_date',
    'total',
    'currency',
    'total_excl_tax',
    'title',
    'sales_rep',
  ]);
  const payments = new CsvFile(paths.payments, ['invoice', 'date', 'amount', 'method', 'reference']);
  const notes = new CsvFile(paths['credit-notes'], ['number', 'customer', 'date', 'total', 'invoice']);
  for (const inv of demoInvoices(options)) {
    const code = codes[inv.customerIndex]!;
    await invoices.row([
      inv.number,
      code,
      inv.issueDate,
      inv.dueDate,
      formatAmount(inv.total),
      inv.currency,
      formatAmount(inv.totalExclTax),
      inv.title,
      inv.salesRep,
    ]);
    for (const s of inv.settlements) {
      if (s.kind === 'payment') await payments.row([inv.number, s.date, formatAmount(s.amount), s.method, s.reference]);
      else await notes.row([s.number, code, s.date, formatAmount(s.amount), inv.number]);
    }
  }
  await Promise.all([invoices.close(), payments.close(), notes.close()]);
  return paths;
}

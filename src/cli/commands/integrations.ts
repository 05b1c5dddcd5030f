import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { importEInvoices, type EInvoiceImportReport } from '../../integrations/einvoice/import-einvoices.ts';
import { importBankStatement, type BankImportReport } from '../../integrations/bank/import-bank.ts';
import { ignoreBankLine, listBankLines, matchBankLine } from '../../integrations/bank/bank-lines.ts';
import { importFec, type FecImportReport } from '../../integrations/fec/import-fec.ts';
import { parseDate } from '../../domain/calendar.ts';
import { withStore } from '../context.ts';
import { money, printJson, table } from '../format.ts';

export function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new AppError('invalid_input', `Cannot read ${file}: ${why}.`);
  }
}

function printEInvoiceReport(report: EInvoiceImportReport): void {
  const lines: string[] = [];
  for (const i of report.invoices) {
    const due = i.dueDateSource === 'BT-9' ? i.dueDate : `${i.dueDate} (${i.dueDateSource === 'BT-20' ? 'from the payment terms' : 'issue date + 30 days'})`;
    lines.push(`${i.file}: invoice ${i.invoice} ${i.action} (${i.format}), customer ${i.customer}${i.customerCreated ? ' (new)' : ''}, ` +
      `due ${due}${i.pdfKept ? ', PDF kept' : ''}`);
  }
  for (const s of report.statuses) {
    lines.push(`${s.file}: invoice ${s.invoice} status ${s.code} ${s.label} on ${s.date}: ${s.effect.replaceAll('_', ' ')}`);
  }
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
  for (const r of report.rejected) process.stderr.write(`  left out: ${r.reason}\n`);
}

function einvoiceCommand(): Command {
  return new Command('einvoice')
    .description('import e-invoices (Factur-X PDF, CII or UBL XML) and lifecycle status messages (CDAR); all or nothing')
    .argument('<files...>', 'Factur-X PDFs, CII / UBL invoices, CDAR status messages')
    .option('--skip-invalid', 'import the valid files and list the others')
    .option('--json', 'print the report as JSON')
    .action(async (files: string[], options: { skipInvalid?: boolean; json?: boolean }, command: Command) => {
      const inputs = files.map((file) => ({ fileName: basename(file), bytes: readInput(file) }));
      const report = await withStore(command, (store, company) =>
        importEInvoices(store.db, company.id, { files: inputs, skipInvalid: options.skipInvalid }));
      if (options.json) printJson(report);
      else printEInvoiceReport(report);
    });
}

function printBankReport(report: BankImportReport, locale: string): void {
  process.stdout.write(`${report.file} (${report.format}): ${report.lines} lines, ${report.matched} matched, ` +
    `${report.unmatched} to match by hand, ${report.ignored} debits ignored, ${report.alreadyImported} already imported.\n`);
  const rows = report.outcomes.filter((o) => o.status === 'matched' || o.status === 'unmatched' || o.status === 'returned')
    .map((o) => [o.date, money(o.amount, o.currency, locale), o.counterparty ?? '', o.status,
      o.invoices?.join(', ') ?? o.reason ?? '']);
  if (rows.length > 0) process.stdout.write(`${table(['date', 'amount', 'from', 'status', 'invoices / why'], rows, [1])}\n`);
}

function bankImportCommand(): Command {
  return new Command('bank')
    .description('import a bank statement (CAMT.053 XML or CSV): credits matched to open invoices are recorded as payments')
    .argument('<file>', 'CAMT.053 XML, or CSV with date, label and amount (or credit / debit) columns')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const bytes = readInput(file);
      const { report, locale } = await withStore(command, async (store, company) => ({
        report: await importBankStatement(store.db, company.id, { fileName: basename(file), bytes, currency: company.currency }),
        locale: company.locale,
      }));
      if (options.json) printJson(report);
      else printBankReport(report, locale);
    });
}

/** `relance bank lines | match | ignore`: the credits left for a person to match. */
export function bankCommand(): Command {
  const bank = new Command('bank').description('bank statement lines left to match by hand');
  bank.command('lines')
    .description('credits no rule could match (or --status matched|ignored)')
    .option('--status <status>', 'unmatched (default), matched or ignored')
    .option('--json', 'print as JSON')
    .action(async (options: { status?: string; json?: boolean }, command: Command) => {
      const status = options.status ?? 'unmatched';
      if (!['unmatched', 'matched', 'ignored'].includes(status)) throw new AppError('usage', `--status must be unmatched, matched or ignored.`);
      const { lines, locale } = await withStore(command, async (store, company) => ({
        lines: await listBankLines(store.db, company.id, { status: status as 'unmatched' }), locale: company.locale }));
      if (options.json) printJson(lines);
      else process.stdout.write(`${table(['id', 'date', 'amount', 'from', 'reference'],
        lines.map((l) => [l.id, l.bookingDate, money(l.amount, l.currency, locale), l.counterparty ?? '', l.reference ?? '']), [2])}\n`);
    });
  bank.command('match')
    .description('records an unmatched credit as the payment of the given invoices (one customer)')
    .argument('<line>', 'bank line id (from relance bank lines)')
    .requiredOption('--invoice <numbers...>', 'invoice numbers, paid in this order')
    .action(async (line: string, options: { invoice: string[] }, command: Command) => {
      await withStore(command, (store, company) => matchBankLine(store.db, company.id, line, options.invoice));
      process.stdout.write(`Bank line ${line} recorded as the payment of ${options.invoice.join(', ')}.\n`);
    });
  bank.command('ignore')
    .description('takes a credit that is no customer payment out of the list')
    .argument('<line>', 'bank line id')
    .action(async (line: string, _options: unknown, command: Command) => {
      await withStore(command, (store, company) => ignoreBankLine(store.db, company.id, line));
      process.stdout.write(`Bank line ${line} ignored.\n`);
    });
  return bank;
}

function printFecReport(r: FecImportReport, locale: string): void {
  const s = r.summary;
  process.stdout.write([
    `${r.file} (FEC, '${r.separator}' separated): ${s.lines} lines, ${s.customerLines} on customer accounts (411), ${s.otherAccountLines} on other accounts left out.`,
    `Lettered and balanced, left out as paid: ${s.settledGroups} groups, ${money(s.settledAmount, 'EUR', locale)}.`,
    `Customers: ${r.customers.created} created, ${r.customers.existing} already known.`,
    `Open invoices: ${r.invoices.created} created, ${r.invoices.unchanged} already known.`,
    `Payments: ${r.payments.created} created, ${r.payments.unchanged} already known; credit notes: ${r.creditNotes.created} created, ` +
      `${r.creditNotes.unchanged} already known.`,
    ...(s.partlyLettered > 0 ? [`${s.partlyLettered} partly lettered groups: their credits were allocated to their invoices.`] : []),
    ...(s.unletteredCredits > 0 ? [`${s.unletteredCredits} unlettered credits recorded as unallocated: check them.`] : []),
  ].join('\n') + '\n');
  for (const issue of r.issues.slice(0, 50)) process.stderr.write(`  left out, line ${issue.line}: ${issue.field}: ${issue.reason}\n`);
}

function fecCommand(): Command {
  return new Command('fec')
    .description('import the open items of the customer accounts (411) of a FEC, found through the lettering')
    .argument('<file>', 'Fichier des Écritures Comptables, "|" or tab separated')
    .option('--terms-days <n>', 'days from the piece date to the due date (the FEC has none)', '30')
    .option('--date <date>', 'open items as of this date: a lettering dated later does not count yet')
    .option('--skip-invalid', 'leave bad lines out instead of importing nothing')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { termsDays: string; date?: string; skipInvalid?: boolean; json?: boolean }, command: Command) => {
      const termsDays = Number(options.termsDays);
      if (!Number.isInteger(termsDays) || termsDays < 0 || termsDays > 365) throw new AppError('usage', '--terms-days must be 0 to 365.');
      const asOf = options.date ? parseDate(options.date) : null;
      if (asOf && !asOf.ok) throw new AppError('usage', `--date: ${asOf.reason}.`);
      const bytes = readInput(file);
      const { report, locale } = await withStore(command, async (store, company) => ({
        report: await importFec(store.db, company.id, { fileName: basename(file), bytes, currency: company.currency, termsDays,
          asOf: asOf?.ok ? asOf.value : undefined, skipInvalid: options.skipInvalid }),
        locale: company.locale,
      }));
      if (options.json) printJson(report);
      else printFecReport(report, locale);
    });
}

/** Sub-commands of `relance import` beside the CSV kinds. */
export function integrationImportCommands(): Command[] {
  return [einvoiceCommand(), fecCommand(), bankImportCommand()];
}

/** Top-level commands of the integrations: `relance bank …`, `relance sepa …`. */
export function integrationCommands(): Command[] {
  return [bankCommand()];
}

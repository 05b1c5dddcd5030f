import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { inputLimits, refuseOversizeFile } from '../../shared/input-limits.ts';
import { printBankReport, printEInvoiceReport, printFecReport } from '../integration-report.ts';
import { parseDate } from '../../domain/calendar.ts';
import { formatAmount } from '../../domain/money.ts';
import { cliActor, withStore } from '../context.ts';
import { money, printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { sepaCommand } from './sepa.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';

// The integrations (XML parser, PDF reader, SEPA…) are loaded when one of their commands runs, so that
// every other command starts as fast as before.
const einvoices = () => import('../../integrations/einvoice/import-einvoices.ts');
const bank = () => import('../../integrations/bank/import-bank.ts');
const bankLines = () => import('../../integrations/bank/bank-lines.ts');
const fec = () => import('../../integrations/fec/import-fec.ts');

/** The file's bytes; with `maxBytes`, a larger file is refused before it is read (the API's upload limit). */
export function readInput(file: string, maxBytes?: number): Uint8Array {
  try {
    if (maxBytes !== undefined) refuseOversizeFile(basename(file), statSync(file).size, maxBytes);
    return readFileSync(file);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    const key = code === 'ENOENT' ? 'noFile' : code === 'EISDIR' ? 'folder' : 'other';
    throw new AppError('invalid_input', `Cannot read ${file}: ${why}.`, [], {
      key: `cli.read.${key}`,
      params: { file, detail: (error as Error).message },
    });
  }
}

/** A JSON file given on the command line (a policy), read as readInput does and parsed; bad JSON is said as such. */
export function readJsonInput(file: string): unknown {
  const text = new TextDecoder().decode(readInput(file));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_input', `Cannot read ${file} as JSON: ${(error as Error).message}.`, [], {
      key: 'problem.file.notJson',
      params: { file, reason: (error as Error).message },
    });
  }
}

function einvoiceCommand(): Command {
  return new Command('einvoice')
    .description(
      'import e-invoices (Factur-X PDF, CII or UBL XML) and lifecycle status messages (CDAR); all or nothing',
    )
    .argument('<files...>', 'Factur-X PDFs, CII / UBL invoices, CDAR status messages')
    .option('--skip-invalid', 'import the valid files and list the others')
    .option('--dry-run', 'check the files and report what would change, write nothing')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        files: string[],
        options: { skipInvalid?: boolean; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const inputs = files.map((file) => ({ fileName: basename(file), bytes: readInput(file) }));
        const report = await withStore(command, async (store, company) =>
          (await einvoices()).importEInvoices(store.db, cliActor(company), {
            files: inputs,
            skipInvalid: options.skipInvalid,
            dryRun: options.dryRun,
          }),
        );
        if (options.json) printJson(report);
        else printEInvoiceReport(report);
      },
    );
}

function bankImportCommand(): Command {
  return new Command('bank')
    .description(
      'import a bank statement (CAMT.053 XML or CSV): credits matched to open invoices are recorded as payments',
    )
    .argument('<file>', 'CAMT.053 XML, or CSV with date, label and amount (or credit / debit) columns')
    .option('--skip-invalid', 'leave unreadable lines out (each one listed) instead of importing nothing')
    .option('--dry-run', 'show what would be matched, write nothing')
    .option('--json', 'print the report as JSON')
    .action(
      async (file: string, options: { skipInvalid?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
        const bytes = readInput(file, inputLimits().maxCsvBytes);
        const { report, locale } = await withStore(command, async (store, company) => ({
          report: await (
            await bank()
          ).importBankStatement(store.db, cliActor(company), {
            fileName: basename(file),
            bytes,
            currency: company.currency,
            dryRun: options.dryRun,
            skipInvalid: options.skipInvalid,
          }),
          locale: company.locale,
        }));
        if (options.json) printJson(report);
        else printBankReport(report, locale);
      },
    );
}

/** `relance bank lines | match | ignore`: the credits left for a person to match. */
export function bankCommand(): Command {
  const bank = new Command('bank').description('bank statement lines left to match by hand');
  bank
    .command('lines')
    .description('credits no rule could match (or --status matched|ignored)')
    .option('--status <status>', 'unmatched (default), matched or ignored')
    .option('--json', 'print as JSON')
    .action(async (options: { status?: string; json?: boolean }, command: Command) => {
      const status = options.status ?? 'unmatched';
      if (!['unmatched', 'matched', 'ignored'].includes(status))
        throw new AppError('usage', `--status must be unmatched, matched or ignored.`, [], {
          key: 'problem.cli.bankStatus',
        });
      const { lines, locale } = await withStore(command, async (store, company) => ({
        lines: await (await bankLines()).listBankLines(store.db, company.id, { status: status as 'unmatched' }),
        locale: company.locale,
      }));
      if (options.json) printJson(lines.map((l) => ({ ...l, amount: formatAmount(l.amount, l.currency) })));
      else
        process.stdout.write(
          `${table(
            ['id', 'date', 'amount', 'from', 'reference'].map((k) => words().t(`cli.out.bank.column.${k}`)),
            lines.map((l) => [
              l.id,
              formatIsoDate(l.bookingDate, words().language),
              money(l.amount, l.currency, locale),
              l.counterparty ?? '',
              l.reference ?? '',
            ]),
            [2],
          )}\n`,
        );
    });
  bank
    .command('match')
    .description('records an unmatched credit as the payment of the given invoices (one customer)')
    .argument('<line>', 'bank line id (from relance bank lines)')
    .requiredOption('--invoice <numbers...>', 'invoice numbers, paid in this order')
    .action(async (line: string, options: { invoice: string[] }, command: Command) => {
      await withStore(command, async (store, company) =>
        (await bankLines()).matchBankLine(store.db, cliActor(company), line, options.invoice),
      );
      process.stdout.write(`${words().t('cli.out.bank.matched', { line, invoices: options.invoice.join(', ') })}\n`);
    });
  bank
    .command('ignore')
    .description('takes a credit that is no customer payment out of the list')
    .argument('<line>', 'bank line id')
    .action(async (line: string, _options: unknown, command: Command) => {
      await withStore(command, async (store, company) =>
        (await bankLines()).ignoreBankLine(store.db, cliActor(company), line),
      );
      process.stdout.write(`${words().t('cli.out.bank.ignored', { line })}\n`);
    });
  return bank;
}

function fecCommand(): Command {
  return new Command('fec')
    .description('import the open items of the customer accounts (411) of a FEC, found through the lettering')
    .argument('<file>', 'Fichier des Écritures Comptables, "|" or tab separated')
    .option('--terms-days <n>', 'days from the piece date to the due date (the FEC has none)', '30')
    .option('--date <date>', 'open items as of this date: a lettering dated later does not count yet')
    .option('--skip-invalid', 'leave bad lines out instead of importing nothing')
    .option('--dry-run', 'report what would be created, write nothing')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        options: { termsDays: string; date?: string; skipInvalid?: boolean; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const termsDays = Number(options.termsDays);
        if (!Number.isInteger(termsDays) || termsDays < 0 || termsDays > 365)
          throw new AppError('usage', '--terms-days must be 0 to 365.', [], { key: 'problem.cli.termsDays' });
        const asOf = options.date ? parseDate(options.date) : null;
        if (asOf && !asOf.ok)
          throw new AppError('usage', `--date: ${asOf.reason}.`, [], {
            key: 'problem.option',
            params: { option: '--date', why: asOf.code ?? 'problem.asWritten', text: asOf.reason, ...asOf.params },
          });
        const bytes = readInput(file, inputLimits().maxCsvBytes);
        const { report, locale } = await withStore(command, async (store, company) => ({
          report: await (
            await fec()
          ).importFec(store.db, cliActor(company), {
            fileName: basename(file),
            bytes,
            currency: company.currency,
            termsDays,
            asOf: asOf?.ok ? asOf.value : undefined,
            skipInvalid: options.skipInvalid,
            dryRun: options.dryRun,
          }),
          locale: company.locale,
        }));
        if (options.json) printJson(report);
        else printFecReport(report, locale);
      },
    );
}

/**
 * Adds `einvoice`, `fec` and `bank` to `relance import`. Commander hands the options written after a
 * sub-command to the parent when the parent has an option of that name (`import` has --dry-run, --json and
 * --skip-invalid for CSV files), so the hook passes them on to the sub-command, or refuses one it lacks.
 */
export function addIntegrationImports(importCommand: Command): void {
  for (const sub of [einvoiceCommand(), fecCommand(), bankImportCommand()]) importCommand.addCommand(sub);
  importCommand.hook('preSubcommand', (parent, sub) => {
    for (const option of parent.options) {
      const name = option.attributeName();
      if (parent.getOptionValueSource(name) !== 'cli') continue;
      if (!sub.options.some((o) => o.attributeName() === name)) {
        throw new AppError('usage', `relance import ${sub.name()} has no option ${option.long}.`, [], {
          key: 'problem.cli.noSuchOption',
          params: { command: sub.name(), option: option.long ?? option.flags },
        });
      }
      sub.setOptionValueWithSource(name, parent.getOptionValue(name), 'cli');
    }
  });
}

/** Top-level commands of the integrations: `relance bank …`, `relance sepa …`. */
export function integrationCommands(): Command[] {
  return [bankCommand(), sepaCommand()];
}

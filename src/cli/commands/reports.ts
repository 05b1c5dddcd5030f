import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { companyLanguage, type Company } from '../../domain/ledger.ts';
import type { ExportFormat } from '../../exports/render.ts';
import type { ReportDocument } from '../../exports/table.ts';
import { DEFAULT_BOUNDS, parseBounds } from '../../reports/buckets.ts';
import { AppError } from '../../shared/errors.ts';
import type { Store } from '../../storage/database.ts';
import { withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { words } from '../words.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';

// The reports and their exports (XLSX, PDF) are loaded by the action that makes them, so that a usage error or
// --help does not pay for them.
const documents = () => import('../../reports/tables.ts');

type Output = { json?: boolean; csv?: string; xlsx?: string; pdf?: string; lang?: 'fr' | 'en' };

function boundsOption(value: string): number[] {
  try {
    return parseBounds(value);
  } catch (error) {
    const { t } = words();
    throw new InvalidArgumentError(
      error instanceof AppError ? t(error.messageKey, error.params) : (error as Error).message,
    );
  }
}

/** The output options every report takes: one of --json, --csv, --xlsx, --pdf, else a table on stdout. */
function withOutputs(command: Command): Command {
  return command
    .option('--json', 'print JSON')
    .option('--csv <file>', 'write CSV (UTF-8 with BOM, ";" in French, for Excel)')
    .option('--xlsx <file>', 'write an Excel workbook')
    .option('--pdf <file>', 'write a PDF')
    .addOption(
      new Option('--lang <language>', "language of headers and formats (default: the company's)").choices(['fr', 'en']),
    );
}

function languageOf(options: Output, company: Company): 'fr' | 'en' {
  return options.lang ?? companyLanguage(company);
}

async function emit(options: Output, company: Company, json: unknown, document: ReportDocument): Promise<void> {
  const files = (['csv', 'xlsx', 'pdf'] as ExportFormat[]).filter((f) => options[f] !== undefined);
  if (files.length + (options.json ? 1 : 0) > 1)
    throw new AppError('usage', 'choose one output: --json, --csv, --xlsx or --pdf.', [], {
      key: 'problem.cli.oneOutput',
    });
  if (options.json) {
    printJson(json);
    return;
  }
  if (files.length === 1) {
    const format = files[0]!;
    const out = options[format]!;
    const { renderExport } = await import('../../exports/render.ts');
    const bytes = await renderExport(document, format, company);
    try {
      writeFileSync(out, bytes);
    } catch (error) {
      throw new AppError('invalid_input', `Cannot write ${out}: ${(error as Error).message}.`, [], {
        key: 'problem.file.cannotWrite',
        params: { file: out, reason: (error as Error).message },
      });
    }
    const rows = document.tables.reduce((sum, t) => sum + t.rows.length, 0);
    const size = Math.ceil(bytes.length / 1024);
    process.stdout.write(
      `${words().t('cli.out.reportWritten', { what: document.title, count: rows, file: out, size })}\n`,
    );
    return;
  }
  const { cellText } = await import('../../exports/display.ts');
  const text = document.tables.map((t) => {
    const rows = t.rows.map((row) => t.columns.map((c, i) => cellText(row[i] ?? null, c, document.language)));
    const right = t.columns.flatMap((c, i) => (c.kind === 'text' || c.kind === 'date' ? [] : [i]));
    return `${t.title} — ${formatIsoDate(document.date, document.language)}\n${table(
      t.columns.map((c) => c.header),
      rows,
      right,
    )}`;
  });
  process.stdout.write(`${text.join('\n\n')}\n`);
}

const dateOf = (options: { date?: string }, company: Company) => options.date ?? todayIn(company.timeZone);

export function reportCommand(): Command {
  const report = new Command('report').description(
    'reports: aged balance, reminders register, collection KPIs (CSV, XLSX, PDF)',
  );

  withOutputs(
    report
      .command('aging')
      .description(
        'aged balance (balance âgée) on a date: per customer, not yet due and by days overdue, sorted by amount',
      )
      .option(
        '--date <date>',
        'as of this date: later payments and credit notes are ignored (default today)',
        dateOption,
      )
      .option('--buckets <days>', 'upper bounds of the late columns in days', boundsOption, DEFAULT_BOUNDS)
      .option('--sales-rep <name>', 'only the invoices of this représentant')
      .option('--customer <code>', 'only this customer'),
  ).action(
    async (
      options: Output & { date?: string; buckets: number[]; salesRep?: string; customer?: string },
      command: Command,
    ) => {
      await withStore(command, async (store: Store, company) => {
        const { agedBalance } = await import('../../reports/aging.ts');
        const result = await agedBalance(store.db, company.id, {
          date: dateOf(options, company),
          bounds: options.buckets,
          salesRep: options.salesRep,
          customerCode: options.customer,
        });
        const { agingDocument } = await documents();
        await emit(options, company, result, agingDocument(result, languageOf(options, company)));
      });
    },
  );

  withOutputs(
    report
      .command('reminders')
      .description('the reminders register (Relances envoyées): each reminded invoice with the date of each level')
      .option(
        '--date <date>',
        'balances and days overdue on this date; reminders sent up to it (default today)',
        dateOption,
      )
      .option('--from <date>', 'only reminders sent on or after this date', dateOption)
      .option('--to <date>', 'only reminders sent on or before this date', dateOption)
      .option('--sales-rep <name>', 'only the invoices of this représentant')
      .option('--customer <code>', 'only this customer'),
  ).action(
    async (
      options: Output & { date?: string; from?: string; to?: string; salesRep?: string; customer?: string },
      command: Command,
    ) => {
      await withStore(command, async (store: Store, company) => {
        const { remindersRegister } = await import('../../reports/register.ts');
        const result = await remindersRegister(store.db, company.id, {
          date: dateOf(options, company),
          from: options.from,
          to: options.to,
          salesRep: options.salesRep,
          customerCode: options.customer,
        });
        const { registerDocument } = await documents();
        await emit(options, company, result, registerDocument(result, languageOf(options, company)));
      });
    },
  );

  withOutputs(
    report
      .command('kpis')
      .description(
        'collection KPIs: DSO (count-back), overdue amount at each month end, share paid within 15 days of each level',
      )
      .option('--date <date>', 'as of this date (default today)', dateOption)
      .option('--months <n>', 'months of the trend and of the reminders counted', countOption, 12)
      .option('--currency <code>', "currency of the amounts (default the company's)"),
  ).action(async (options: Output & { date?: string; months: number; currency?: string }, command: Command) => {
    if (options.months < 1 || options.months > 60)
      throw new AppError('usage', '--months must be between 1 and 60.', [], { key: 'problem.cli.months' });
    await withStore(command, async (store: Store, company) => {
      const { collectionKpis } = await import('../../reports/kpis.ts');
      const result = await collectionKpis(store.db, company.id, {
        date: dateOf(options, company),
        months: options.months,
        currency: options.currency?.toUpperCase(),
      });
      const { kpisDocument } = await documents();
      await emit(options, company, result, kpisDocument(result, languageOf(options, company)));
    });
  });
  return report;
}

import { basename } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { fieldLabel, hasMessage, issueReason, languageOf, translator, type MessageLanguage } from '../../i18n/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { ImportReport } from '../../import/run-import.ts';
import { IMPORT_KINDS } from '../../import/import-kind.ts';
import { inputLimits } from '../../shared/input-limits.ts';
import { cliActor, withStore } from '../context.ts';
import { printJson } from '../format.ts';
import { addIntegrationImports, readInput } from './integrations.ts';

const SHOWN_ISSUES = 50;

/** The report in the reader's language: the summary on stdout, then the issues and warnings for stderr. */
export function describeReport(
  report: ImportReport,
  language: MessageLanguage,
): { summary: string; details: string[] } {
  const t = translator(language);
  const head = t('import.summary.head', {
    file: report.file,
    kind: t(`import.kind.${report.kind}`),
    encoding: language === 'fr' ? report.encoding.toUpperCase() : report.encoding,
    delimiter: report.delimiter,
    rows: t('import.summary.rows', { count: report.rows }),
  });
  const counts = t('import.summary.counts', {
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
  });
  const lines: string[] = [];
  if (report.headerProblem) lines.push(t('import.summary.headerProblem', { file: report.file }));
  else if (report.dryRun && report.badRows > 0 && report.created + report.updated + report.unchanged === 0) {
    lines.push(t('import.summary.dryRunBad', { head }));
  } else if (report.dryRun) lines.push(t('import.summary.dryRun', { head, counts }));
  else if (report.committed) lines.push(t('import.summary.done', { head, counts }));
  else lines.push(t('import.summary.nothing', { head }));
  if (report.committed && report.badRows > 0) lines.push(t('import.summary.leftOut', { count: report.badRows }));
  if (report.ignoredColumns.length > 0)
    lines.push(t('import.summary.ignored', { columns: report.ignoredColumns.join(', ') }));
  const headers = [...Object.values(report.columns), ...report.ignoredColumns].join(', ');
  const details = report.issues.slice(0, SHOWN_ISSUES).map((issue) => {
    // The file's own header when it has the column, else the field's label in the reader's language, never its key.
    const field = report.columns[issue.field] ?? fieldLabel(issue.field, language);
    const reason = issueReason(issue, language);
    return report.headerProblem && issue.line === 1
      ? t('import.summary.header', { field, reason, headers })
      : issue.line === undefined
        ? t('cli.issue', { field, reason })
        : t('import.summary.line', { line: issue.line, field, reason });
  });
  for (const { line, message, code } of report.warnings.slice(0, SHOWN_ISSUES))
    details.push(
      t('import.summary.warning', { line, message: code && hasMessage(language, code) ? t(code) : message }),
    );
  if (report.issueCount > SHOWN_ISSUES)
    details.push(t('import.summary.more', { count: report.issueCount - SHOWN_ISSUES }));
  return { summary: lines.join('\n'), details };
}

export function importCommand(): Command {
  // e-invoices, FEC and bank statements are sub-commands, dispatched before <kind> is checked.
  const command = new Command('import');
  addIntegrationImports(command);
  return command
    .description('import a CSV file (customers, invoices, payments or credit-notes); all or nothing by default')
    .addArgument(
      new Command().createArgument('<kind>', 'customers | invoices | payments | credit-notes').choices(IMPORT_KINDS),
    )
    .argument('<file>', 'CSV file, "," or ";" separated, UTF-8 or Windows-1252')
    .option('--dry-run', 'check the file and count what would change, write nothing')
    .addOption(new Option('--skip-invalid', 'import the good rows and list the bad ones'))
    .option('--json', 'print the full report as JSON')
    .action(
      async (
        kind: string,
        file: string,
        options: { dryRun?: boolean; skipInvalid?: boolean; json?: boolean },
        command: Command,
      ) => {
        // The same limits as an upload: file size here, rows and cell lengths while the file is read.
        const bytes = readInput(file, inputLimits().maxCsvBytes);
        const language = languageOf(command.optsWithGlobals<{ lang?: string }>().lang);
        const t = translator(language);
        const report = await withStore(command, async (store, company) => {
          const bar =
            process.stderr.isTTY && !options.json
              ? new cliProgress.SingleBar(
                  // cli-progress fills its own {tokens}; the catalogue's {{params}} are left to i18next.
                  { format: t('import.summary.progress'), stream: process.stderr },
                  cliProgress.Presets.shades_classic,
                )
              : null;
          try {
            // The importer (and the storage under it) is loaded by the action, not with the command's definition.
            const { importCsv, ImportKindSchema } = await import('../../import/run-import.ts');
            return await importCsv(store.db, cliActor(company), {
              kind: ImportKindSchema.parse(kind),
              fileName: basename(file),
              bytes,
              dryRun: options.dryRun,
              skipInvalid: options.skipInvalid,
              onProgress: bar
                ? (done, total) => {
                    if (bar.getTotal() !== total) bar.start(total, done);
                    else bar.update(done);
                  }
                : undefined,
            });
          } finally {
            bar?.stop();
          }
        });
        if (options.json) printJson(report);
        else {
          const { summary, details } = describeReport(report, language);
          process.stdout.write(`${summary}\n`);
          for (const line of details) process.stderr.write(`  ${line}\n`);
        }
        // A header at fault is one problem, already said in the summary, not a count of bad rows.
        if (report.headerProblem)
          throw new AppError('invalid_input', t('import.summary.headerProblem', { file: basename(file) }), [], {
            key: 'import.summary.headerProblem',
            params: { file: basename(file) },
          });
        if (report.issueCount > 0 && !report.committed) {
          const bad = t('import.summary.badRows', { count: report.badRows || report.issueCount });
          throw new AppError('invalid_input', t('import.summary.refused', { bad, file: basename(file) }), [], {
            key: 'import.summary.refused',
            params: { bad, file: basename(file) },
          });
        }
      },
    );
}

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { AppError, describeIssue } from '../../shared/errors.ts';
import { importCsv, ImportKindSchema, type ImportReport } from '../../import/run-import.ts';
import { withStore } from '../context.ts';
import { printJson } from '../format.ts';
import { addIntegrationImports } from './integrations.ts';

const SHOWN_ISSUES = 50;

function summary(report: ImportReport): string {
  const head = `${report.file} (${report.kind}, ${report.encoding}, '${report.delimiter}' separated): ${report.rows} rows`;
  const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`;
  const lines: string[] = [];
  if (report.dryRun && report.badRows > 0 && report.created + report.updated + report.unchanged === 0) {
    lines.push(`${head}. Dry run: nothing would be imported because of the bad rows below.`);
  } else if (report.dryRun) lines.push(`${head}. Dry run, nothing written; would be ${counts}.`);
  else if (report.committed) lines.push(`${head}: ${counts}.`);
  else lines.push(`${head}: nothing imported.`);
  if (report.committed && report.badRows > 0) lines.push(`${report.badRows} bad rows were left out.`);
  if (report.ignoredColumns.length > 0) lines.push(`Ignored columns: ${report.ignoredColumns.join(', ')}.`);
  return lines.join('\n');
}

export function importCommand(): Command {
  // e-invoices, FEC and bank statements are sub-commands, dispatched before <kind> is checked.
  const command = new Command('import');
  addIntegrationImports(command);
  return command
    .description('import a CSV file (customers, invoices, payments or credit-notes); all or nothing by default')
    .addArgument(new Command().createArgument('<kind>', 'customers | invoices | payments | credit-notes')
      .choices(ImportKindSchema.options))
    .argument('<file>', 'CSV file, "," or ";" separated, UTF-8 or Windows-1252')
    .option('--dry-run', 'check the file and count what would change, write nothing')
    .addOption(new Option('--skip-invalid', 'import the good rows and list the bad ones'))
    .option('--json', 'print the full report as JSON')
    .action(async (kind: string, file: string, options: { dryRun?: boolean; skipInvalid?: boolean; json?: boolean },
      command: Command) => {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
        throw new AppError('invalid_input', `Cannot read ${file}: ${why}.`);
      }
      const report = await withStore(command, async (store, company) => {
        const bar = process.stderr.isTTY && !options.json
          ? new cliProgress.SingleBar({ format: 'importing [{bar}] {percentage}% {value}/{total} rows', stream: process.stderr },
            cliProgress.Presets.shades_classic)
          : null;
        try {
          return await importCsv(store.db, company.id, {
            kind: ImportKindSchema.parse(kind), fileName: basename(file), bytes,
            dryRun: options.dryRun, skipInvalid: options.skipInvalid,
            onProgress: bar ? (done, total) => {
              if (bar.getTotal() !== total) bar.start(total, done);
              else bar.update(done);
            } : undefined,
          });
        } finally {
          bar?.stop();
        }
      });
      if (options.json) printJson(report);
      else {
        process.stdout.write(`${summary(report)}\n`);
        for (const issue of report.issues.slice(0, SHOWN_ISSUES)) process.stderr.write(`  ${describeIssue(issue)}\n`);
        for (const warning of report.warnings.slice(0, SHOWN_ISSUES)) {
          process.stderr.write(`  warning, line ${warning.line}: ${warning.message}\n`);
        }
        if (report.issueCount > SHOWN_ISSUES) {
          process.stderr.write(`  … and ${report.issueCount - SHOWN_ISSUES} more (use --json for all of them)\n`);
        }
      }
      if (report.issueCount > 0 && !report.committed) {
        throw new AppError('invalid_input', `${report.badRows || report.issueCount} bad ${report.badRows === 1 ? 'row' : 'rows'} in ${basename(file)}; nothing was imported.`);
      }
    });
}

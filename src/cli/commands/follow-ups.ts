import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { parseAmount } from '../../domain/money.ts';
import { AppError } from '../../shared/errors.ts';
import { cliActor, withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { dateValue } from '../parse-options.ts';
import { words } from '../words.ts';
import { readJsonInput } from './integrations.ts';

// Loaded when one of these commands runs (templates, PDF), so that every other command starts as fast as before.
const followUps = () => import('../../follow-ups/queue-follow-ups.ts');
const quotePolicies = () => import('../../follow-ups/quote-policy.ts');
const saveQuotePolicies = () => import('../../follow-ups/save-quote-policy.ts');
const resetQuotePolicies = () => import('../../follow-ups/reset-quote-policy.ts');
const schedules = () => import('../../follow-ups/schedule-due.ts');
const schedulePdfs = () => import('../../follow-ups/schedule-pdf.ts');

/** `relance follow-ups`: quote follow-ups and instalment reminders due on a date, queued as e-mails. */
export function followUpsCommand(): Command {
  return new Command('follow-ups')
    .description('queues the quote follow-ups (relance quote-policy) and instalment reminders due on the date')
    .option('--date <date>', 'the day to plan for (default today)')
    .option('--dry-run', 'show what would be sent, queue nothing')
    .option('--json', 'print the report as JSON')
    .action(async (options: { date?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      const report = await withStore(command, async (store, company) =>
        (await followUps()).queueFollowUps(store.db, cliActor(company), {
          date: options.date ? dateValue(options.date, '--date') : undefined,
          dryRun: options.dryRun,
        }),
      );
      if (options.json) return printJson(report);
      const { t } = words();
      const rows = [
        ...report.quotes.map((q) => [
          q.customer,
          t('cli.report.followUps.quote', { number: q.number }),
          q.label,
          t(`cli.report.followUps.status.${q.status}`),
        ]),
        ...report.instalments.map((i) => [
          i.customer,
          t('cli.report.followUps.invoice', { number: i.number }),
          t('cli.report.followUps.instalment', { seq: i.seq, count: i.count, date: i.dueDate }),
          t(`cli.report.followUps.status.${i.status}`),
        ]),
      ];
      process.stdout.write(
        rows.length === 0
          ? `${t('cli.report.followUps.nothing', { date: report.date })}\n`
          : `${table(
              ['customer', 'document', 'step', 'status'].map((k) => t(`cli.report.followUps.column.${k}`)),
              rows,
            )}\n`,
      );
    });
}

/** `relance quote-policy show | set FILE | reset`: the steps of quote follow-ups. */
export function quotePolicyCommand(): Command {
  const command = new Command('quote-policy').description('the steps of quote follow-ups (before a quote expires)');
  command
    .command('show')
    .description('the current quote policy (the default one: an e-mail 7 days before expiry)')
    .action(async (_options: unknown, cmd: Command) => {
      printJson(
        await withStore(cmd, async (store, company) => (await quotePolicies()).quotePolicy(store.db, company.id)),
      );
    });
  command
    .command('set')
    .description('sets it from a JSON file (the policy format; "from": "dueDate" counts from the expiry date)')
    .argument('<file>', 'policy JSON')
    .action(async (file: string, _options: unknown, cmd: Command) => {
      const json = readJsonInput(file);
      const policy = await withStore(cmd, async (store, company) =>
        (await saveQuotePolicies()).saveWholeQuotePolicy(store.db, cliActor(company), json),
      );
      process.stdout.write(`${words().t('cli.report.quotePolicy.saved', { count: policy.steps.length })}\n`);
    });
  command
    .command('reset')
    .description('back to the default quote policy')
    .action(async (_options: unknown, cmd: Command) => {
      await withStore(cmd, async (store, company) =>
        (await resetQuotePolicies()).resetQuotePolicy(store.db, cliActor(company)),
      );
      process.stdout.write(`${words().t('cli.report.quotePolicy.reset')}\n`);
    });
  return command;
}

/** `relance schedule set | pdf`: an invoice's payment schedule (échéancier). */
export function scheduleCommand(): Command {
  const schedule = new Command('schedule').description('payment schedules (échéanciers) of invoices');
  schedule
    .command('set')
    .description('splits what is left to pay on an invoice into instalments, each reminded on its own due date')
    .argument('<invoice>', 'invoice number')
    .requiredOption('--instalment <date:amount...>', 'e.g. --instalment 2026-03-05:300.00 2026-04-05:300.00')
    .action(async (number: string, options: { instalment: string[] }, command: Command) => {
      const instalments = options.instalment.map((text, index) => {
        const [date = '', amount = ''] = text.split(/[:=]/);
        const parsed = parseAmount(amount);
        if (!parsed.ok)
          throw new AppError('usage', `--instalment ${text}: the amount ${parsed.reason}.`, [], {
            key: 'problem.option',
            params: {
              option: `--instalment ${text}`,
              why: parsed.code ?? 'problem.asWritten',
              text: parsed.reason,
              ...parsed.params,
            },
          });
        return { seq: index + 1, dueDate: dateValue(date, `--instalment ${text}`), amount: parsed.value };
      });
      await withStore(command, async (store, company) =>
        (await schedules()).setInvoiceSchedule(store.db, company.id, number, instalments),
      );
      process.stdout.write(`${words().t('cli.report.schedule.set', { invoice: number, count: instalments.length })}\n`);
    });
  schedule
    .command('pdf')
    .description('writes the schedule of an invoice as a PDF')
    .argument('<invoice>', 'invoice number')
    .requiredOption('--out <file.pdf>', 'where to write it')
    .option('--date <date>', 'position on this date (default today)')
    .action(async (number: string, options: { out: string; date?: string }, command: Command) => {
      const pdf = await withStore(command, async (store, company) =>
        (await schedulePdfs()).schedulePdf(
          store.db,
          company.id,
          number,
          options.date ? dateValue(options.date, '--date') : todayIn(company.timeZone),
        ),
      );
      writeFileSync(options.out, pdf);
      process.stdout.write(`${words().t('cli.report.schedule.pdf', { file: options.out, invoice: number })}\n`);
    });
  return schedule;
}

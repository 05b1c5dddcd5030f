import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { parseWindow } from '../../domain/letter-settings.ts';
import { AppError } from '../../shared/errors.ts';
import { cliActor, withStore } from '../context.ts';
import { words } from '../words.ts';
import { readInput } from './integrations.ts';
import { countOption, dateOption } from '../parse-options.ts';

// The documents (PDF, fonts, QR codes) are loaded by the action that makes them, so that a usage error or --help
// does not pay for them.

function onOff(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new InvalidArgumentError(words().t('cli.report.arg.mustOnOff', { value }));
}

function windowOption(value: string) {
  try {
    return parseWindow(value);
  } catch {
    throw new InvalidArgumentError(words().t('cli.report.arg.window', { value }));
  }
}

function write(out: string, pdf: Uint8Array, what: string): void {
  try {
    writeFileSync(out, pdf);
  } catch (error) {
    throw new AppError('invalid_input', `Cannot write ${out}: ${(error as Error).message}.`, [], {
      key: 'problem.file.cannotWrite',
      params: { file: out, reason: (error as Error).message },
    });
  }
  process.stdout.write(`${words().t('cli.out.written', { what, file: out, size: Math.ceil(pdf.length / 1024) })}\n`);
}

export function documentCommands(): Command[] {
  const letters = new Command('letters')
    .description('the printable PDF of the letters of a run, or of the plan of a date at one level')
    .option('--run <id>', 'the letters of this run (its stored batch when it is there)')
    .option('--date <date>', 'the plan of this date (with --level)', dateOption)
    .option('--level <n>', 'the reminder level to print from the plan', countOption)
    .option('--customer <code>', 'only this customer (with --date)')
    .option('--copies', 'print each invoice copy after its letter')
    .requiredOption('--out <file.pdf>', 'where to write the PDF')
    .action(
      async (
        options: { run?: string; date?: string; level?: number; customer?: string; copies?: boolean; out: string },
        command: Command,
      ) => {
        if ((options.run === undefined) === (options.level === undefined)) {
          throw new AppError('usage', 'give either --run ID or --level N (with --date D, default today).', [], {
            key: 'problem.cli.runOrLevel',
          });
        }
        await withStore(command, async (store, company) => {
          if (options.run !== undefined) {
            // The batch made by the run is what was posted: reprinted as it was, unless it is missing.
            const { runLetters } = await import('../../documents/print-letters.ts');
            const batch = await runLetters(store.db, cliActor(company), options.run, {
              copies: options.copies === true,
            });
            write(
              options.out,
              batch.pdf,
              words().t('cli.out.runLetters', { count: batch.letters, pages: batch.pages, run: options.run }),
            );
            return;
          }
          const date = options.date ?? todayIn(company.timeZone);
          const { planLetterRequests } = await import('../../documents/plan-letters.ts');
          const requests = await planLetterRequests(store.db, company.id, {
            date,
            level: options.level!,
            customerCode: options.customer,
          });
          if (requests.length === 0)
            throw new AppError('not_found', `The plan of ${date} has nothing to send at level ${options.level}.`, [], {
              key: 'problem.notFound.planLevel',
              params: { date, level: options.level ?? '' },
            });
          const { lettersBatch } = await import('../../documents/run-letters.ts');
          const batch = await lettersBatch(
            store.db,
            company.id,
            requests,
            { title: `Relances ${date} niveau ${options.level}`, date },
            { invoiceCopies: options.copies },
          );
          write(
            options.out,
            batch.pdf,
            words().t('cli.out.levelLetters', { count: batch.letters, pages: batch.pages, level: options.level, date }),
          );
        });
      },
    );

  const statement = new Command('statement')
    .description("a customer's statement of account (relevé de compte): open invoices, totals, aged balance")
    .requiredOption('--customer <code>', 'the customer')
    .option('--date <date>', 'as of this date (default today)', dateOption)
    .requiredOption('--out <file.pdf>', 'where to write the PDF')
    .action(async (options: { customer: string; date?: string; out: string }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { statementPdf } = await import('../../documents/statement.ts');
        const pdf = await statementPdf(store.db, company.id, {
          customerCode: options.customer,
          date: options.date ?? todayIn(company.timeZone),
        });
        write(options.out, pdf, words().t('cli.out.statementOf', { customer: options.customer }));
      });
    });

  const summary = new Command('summary')
    .description('the reminders summary PDF: each reminded invoice with the date of each level')
    .option('--customer <code>', 'only this customer')
    .option('--date <date>', 'lateness counted at this date (default today)', dateOption)
    .requiredOption('--out <file.pdf>', 'where to write the PDF')
    .action(async (options: { customer?: string; date?: string; out: string }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { summaryPdf } = await import('../../documents/summary.ts');
        const result = await summaryPdf(store.db, company.id, {
          date: options.date ?? todayIn(company.timeZone),
          customerCode: options.customer,
        });
        write(options.out, result.pdf, words().t('cli.out.summaryOf', { count: result.invoices }));
      });
    });

  const settings = new Command('letter-settings')
    .description('how letters are printed: envelope window, logo, duplex; shows them without options')
    .option(
      '--window <left,top,width,height>',
      'the envelope window in mm from the top-left corner (default 90,20,100,45)',
      windowOption,
    )
    .option('--duplex <on|off>', 'printing on both sides: each letter starts on an odd page', onOff)
    .option('--logo <file>', 'PNG or JPEG printed in the letterhead')
    .option('--no-logo', 'remove the logo')
    .action(
      async (
        options: { window?: ReturnType<typeof parseWindow>; duplex?: boolean; logo?: string | false },
        command: Command,
      ) => {
        let logo: Uint8Array | null | undefined;
        if (options.logo === false) logo = null;
        else if (typeof options.logo === 'string') {
          logo = readInput(options.logo);
        }
        await withStore(command, async (store, company) => {
          const { saveLetterSettings, viewLetterSettings } = await import('../../documents/save-letter-settings.ts');
          const changed = options.window !== undefined || options.duplex !== undefined || logo !== undefined;
          const current = changed
            ? await saveLetterSettings(store.db, cliActor(company), {
                window: options.window,
                duplex: options.duplex,
                logo,
              })
            : await viewLetterSettings(store.db, company.id);
          const w = current.window;
          const mm = (n: number) => (words().language === 'fr' ? String(n).replace('.', ',') : String(n));
          process.stdout.write(
            `${words().t('cli.out.letterSettings', {
              left: mm(w.leftMm),
              top: mm(w.topMm),
              width: mm(w.widthMm),
              height: mm(w.heightMm),
              duplex: words().t(current.duplex ? 'cli.out.on' : 'cli.out.off'),
              logo: current.logo
                ? words().t('cli.out.logo', { type: current.logo.mediaType, size: current.logo.content.length })
                : words().t('cli.out.none'),
            })}\n`,
          );
        });
      },
    );
  return [letters, statement, summary, settings];
}

import { basename } from 'node:path';
import { Command, Option } from 'commander';
import type { DispatchReport } from '../../mail/dispatch.ts';
import { languageOf } from '../../i18n/index.ts';
import type { Store } from '../../storage/database.ts';
import type { OutboxStatus } from '../../storage/schema.ts';
import { cliActor, dataDirOf, withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { addressList, countOption, dateOption } from '../parse-options.ts';
import { readInput } from './integrations.ts';
import { bouncesCommand, repliesCommand } from './mail-listeners.ts';
import { mailSettingsCommand } from './mail-settings.ts';

// The mail use cases (SMTP, the letters' PDF, the templates) are loaded by the action that runs them, so that a
// usage error, --help or listing the outbox does not pay for them.
const describeDispatchOf = async () => (await import('../../mail/describe-dispatch.ts')).describeDispatch;
const outboxErrorTextOf = async () => (await import('../../mail/outbox-errors.ts')).outboxErrorText;

const STATUSES: OutboxStatus[] = ['queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'];

/** Processes the outbox once, for the commands that queue something and send it at once. */
export async function dispatchNow(store: Store, companyId: string): Promise<DispatchReport> {
  const { dispatchOutbox } = await import('../../mail/dispatch.ts');
  return dispatchOutbox(store.db, companyId, { dataDir: dataDirOf(store) });
}

export function mailCommands(): Command[] {
  const outbox = new Command('outbox')
    .description('the e-mails queued, sent, failed or bounced')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--limit <n>', 'at most this many (default 100)', countOption)
    .option('--retry <id...>', 'put failed messages back in the queue (after checking they did not arrive)')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { status?: OutboxStatus; limit?: number; retry?: string[]; json?: boolean },
        command: Command,
      ) => {
        await withStore(command, async (store, company) => {
          if (options.retry) {
            const { requeueFailed } = await import('../../mail/retry-message.ts');
            const count = await requeueFailed(store.db, cliActor(company), options.retry);
            process.stdout.write(`${words().t('cli.out.requeued', { count })}\n`);
            return;
          }
          const language = languageOf(command.optsWithGlobals<{ lang?: string }>().lang);
          const { listOutboxMessages } = await import('../../mail/list-outbox.ts');
          const outboxErrorText = await outboxErrorTextOf();
          const { items: messages, counts } = await listOutboxMessages(store.db, cliActor(company), {
            status: options.status,
            limit: options.limit ?? 100,
          });
          if (options.json) {
            printJson(
              messages.map(({ text: _t, html: _h, attachments, ...m }) => ({
                ...m,
                errorText: m.error ? outboxErrorText(m.error, language) : null,
                attachments: attachments.map((a) => (a as { filename?: string }).filename ?? null),
              })),
            );
            return;
          }
          const { t } = words();
          process.stdout.write(
            `${table(
              ['id', 'status', 'kind', 'to', 'subject', 'tries', 'lastError'].map((k) => t(`cli.out.column.${k}`)),
              messages.map((m) => [
                m.id,
                t(`enums.outboxStatus.${m.status}`),
                t(`cli.out.outboxKind.${m.kind}`),
                m.to.join(', '),
                m.subject.slice(0, 50),
                String(m.attempts),
                (m.error ? outboxErrorText(m.error, language) : (m.lastError ?? '')).slice(0, 90),
              ]),
              [5],
            )}\n`,
          );
          process.stdout.write(
            `${STATUSES.map((s) =>
              t('cli.out.outboxCount', { count: counts?.[s] ?? 0, status: t(`enums.outboxStatus.${s}`).toLowerCase() }),
            ).join(', ')}\n`,
          );
        });
      },
    );

  const dispatch = new Command('dispatch')
    .description('send what is due in the outbox, once (SMTP from relance mail set --smtp or RELANCE_SMTP_URL)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const report = await dispatchNow(store, company.id);
        if (options.json) printJson(report);
        else process.stdout.write(`${(await describeDispatchOf())(report, words().language)}\n`);
      });
    });

  const sendTest = new Command('send-test')
    .description("send a step's message to an address, with sample data or a customer's real invoices")
    .requiredOption('--step <n>', 'policy step (1 = first reminder level)', countOption)
    .requiredOption('--to <address>', 'where the test goes')
    .option('--customer <code>', "use this customer's unpaid invoices instead of sample data")
    .option(
      '--policy <name>',
      "the policy whose step is tested (default: the customer's, else the default policy); the step's own template is sent",
    )
    .addOption(new Option('--language <lang>', 'language of the sample').choices(['fr', 'en']))
    .action(
      async (
        options: { step: number; to: string; customer?: string; policy?: string; language?: 'fr' | 'en' },
        command: Command,
      ) => {
        await withStore(command, async (store, company) => {
          const { sendStepTest } = await import('../../mail/send-step-test.ts');
          const { message, dispatch } = await sendStepTest(
            store.db,
            cliActor(company),
            {
              level: options.step,
              to: options.to,
              customerCode: options.customer,
              language: options.language,
              policy: options.policy,
            },
            { dataDir: dataDirOf(store) },
          );
          process.stdout.write(
            `${words().t('cli.out.testQueued', {
              subject: message.subject,
              to: options.to,
              dispatch: (await describeDispatchOf())(dispatch, words().language),
            })}\n`,
          );
        });
      },
    );

  const remind = new Command('remind')
    .description('send a reminder by hand: chosen invoices of a customer, recorded in the history')
    .requiredOption('--customer <code>', 'customer code')
    .requiredOption('--invoice <number...>', 'the invoices to remind')
    .option('--to <address>', "recipient (repeatable; default: the customer's billing contacts)", addressList)
    .option('--cc <address>', "copy (repeatable; default: the company's setting)", addressList)
    .option('--bcc <address>', "blind copy (repeatable; default: the company's setting)", addressList)
    .option('--subject <text>', "subject (default: the level's template)")
    .option('--message-file <file>', "message text (default: the level's template)")
    .option('--no-letter', 'do not attach the reminder letter')
    .option('--no-invoices', "do not attach the invoices' PDFs")
    .option('--statement', "attach the customer's statement of account")
    .option('--attach <file...>', 'add these files')
    .option('--date <date>', 'date of the reminder (default: today)', dateOption)
    .action(
      async (
        options: {
          customer: string;
          invoice: string[];
          to?: string[];
          cc?: string[];
          bcc?: string[];
          subject?: string;
          messageFile?: string;
          letter: boolean;
          invoices: boolean;
          statement?: boolean;
          attach?: string[];
          date?: string;
        },
        command: Command,
      ) => {
        // A missing file or a folder is said in the reader's language (readInput), not as Node's ENOENT.
        const read = (file: string) => Buffer.from(readInput(file));
        await withStore(command, async (store, company) => {
          const { selectionByNumbers } = await import('../../mail/selection-by-numbers.ts');
          const { sendComposedReminder } = await import('../../mail/send-composed-reminder.ts');
          const chosen = await selectionByNumbers(store.db, cliActor(company), options.customer, options.invoice);
          const result = await sendComposedReminder(
            store.db,
            cliActor(company),
            {
              ...chosen,
              to: options.to,
              cc: options.cc,
              bcc: options.bcc,
              subject: options.subject,
              message: options.messageFile ? read(options.messageFile).toString('utf8') : undefined,
              date: options.date,
              attachments: {
                letter: options.letter,
                invoices: options.invoices,
                statement: options.statement,
                files: (options.attach ?? []).map((file) => ({
                  filename: basename(file),
                  contentType: 'application/octet-stream',
                  content: read(file),
                })),
              },
            },
            { dataDir: dataDirOf(store) },
          );
          process.stdout.write(
            `${words().t('cli.out.reminderQueued', {
              level: result.level,
              invoices: options.invoice.join(', '),
              to: result.message.to.join(', '),
              dispatch: (await describeDispatchOf())(result.dispatch, words().language),
            })}\n`,
          );
        });
      },
    );

  const simulate = new Command('simulate')
    .description('mail the simulation (per customer and level, which invoices will be reminded) to an address')
    .requiredOption('--to <address>', 'where it goes')
    .option('--date <date>', 'the day to simulate (default: today)', dateOption)
    .action(async (options: { to: string; date?: string }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { mailSimulation } = await import('../../mail/mail-simulation.ts');
        const { message, dispatch } = await mailSimulation(
          store.db,
          cliActor(company),
          { to: options.to, date: options.date },
          { dataDir: dataDirOf(store) },
        );
        process.stdout.write(
          `${words().t('cli.out.simulationQueued', {
            subject: message.subject,
            to: options.to,
            dispatch: (await describeDispatchOf())(dispatch, words().language),
          })}\n`,
        );
      });
    });

  return [outbox, dispatch, sendTest, remind, simulate, mailSettingsCommand(), bouncesCommand(), repliesCommand()];
}

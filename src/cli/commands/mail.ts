import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { startBounceListener } from '../../mail/bounces.ts';
import { bounceWhy } from '../../domain/smtp-reply.ts';
import { startReplyListener } from '../../mail/replies.ts';
import { describeDispatch } from '../../mail/describe-dispatch.ts';
import { dispatchOutbox, type DispatchReport } from '../../mail/dispatch.ts';
import { sendManualReminder } from '../../mail/manual.ts';
import { outboxErrorText } from '../../mail/outbox-errors.ts';
import { languageOf } from '../../i18n/index.ts';
import {
  getMailSettings,
  redactSmtpUrl,
  saveMailSettings,
  smtpUrlOf,
  type MailSettingsPatch,
} from '../../mail/settings.ts';
import { sendSimulation, sendTestMessage } from '../../mail/test-send.ts';
import { selectionByNumbers } from '../../mail/selection-by-numbers.ts';
import type { Store } from '../../storage/database.ts';
import { requeueFailed } from '../../mail/retry-message.ts';
import { listOutboxMessages } from '../../mail/list-outbox.ts';
import type { OutboxStatus } from '../../storage/schema.ts';
import { cliActor, withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { readInput } from './integrations.ts';
import { countOption, dateOption } from '../parse-options.ts';

const STATUSES: OutboxStatus[] = ['queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'];

/** .eml files go next to an SQLite database, else under ./data. */
export function dataDirOf(store: Store): string {
  return store.dialect === 'sqlite' ? dirname(store.location) : 'data';
}

/** Processes the outbox once, for the commands that queue something and send it at once. */
export async function dispatchNow(store: Store, companyId: string): Promise<DispatchReport> {
  return dispatchOutbox(store.db, companyId, { dataDir: dataDirOf(store) });
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[;,\s]+/).filter(Boolean)];
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
            const count = await requeueFailed(store.db, cliActor(company), options.retry);
            process.stdout.write(`${words().t('cli.out.requeued', { count })}\n`);
            return;
          }
          const language = languageOf(command.optsWithGlobals<{ lang?: string }>().lang);
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
        else process.stdout.write(`${describeDispatch(report, words().language)}\n`);
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
          const message = await sendTestMessage(store.db, company.id, {
            level: options.step,
            to: options.to,
            customerCode: options.customer,
            language: options.language,
            policyName: options.policy,
          });
          process.stdout.write(
            `${words().t('cli.out.testQueued', {
              subject: message.subject,
              to: options.to,
              dispatch: describeDispatch(await dispatchNow(store, company.id), words().language),
            })}\n`,
          );
        });
      },
    );

  const remind = new Command('remind')
    .description('send a reminder by hand: chosen invoices of a customer, recorded in the history')
    .requiredOption('--customer <code>', 'customer code')
    .requiredOption('--invoice <number...>', 'the invoices to remind')
    .option('--to <address>', "recipient (repeatable; default: the customer's billing contacts)", list)
    .option('--cc <address>', "copy (repeatable; default: the company's setting)", list)
    .option('--bcc <address>', "blind copy (repeatable; default: the company's setting)", list)
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
          const chosen = await selectionByNumbers(store.db, cliActor(company), options.customer, options.invoice);
          const result = await sendManualReminder(store.db, company.id, {
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
          });
          process.stdout.write(
            `${words().t('cli.out.reminderQueued', {
              level: result.level,
              invoices: options.invoice.join(', '),
              to: result.message.to.join(', '),
              dispatch: describeDispatch(await dispatchNow(store, company.id), words().language),
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
        const message = await sendSimulation(store.db, company.id, { to: options.to, date: options.date });
        process.stdout.write(
          `${words().t('cli.out.simulationQueued', {
            subject: message.subject,
            to: options.to,
            dispatch: describeDispatch(await dispatchNow(store, company.id), words().language),
          })}\n`,
        );
      });
    });

  const mail = new Command('mail').description('e-mail settings: SMTP server, sender, CC/BCC, Reply-To, DKIM');
  mail
    .command('show')
    .description('print the settings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const s = await getMailSettings(store.db, company.id);
        const url = smtpUrlOf(s);
        const shown = {
          smtp: url ? redactSmtpUrl(url) : null,
          smtpFrom: s.smtpUrl ? 'company' : url ? 'RELANCE_SMTP_URL' : null,
          from: s.from,
          replyTo: s.replyTo,
          replyAddress: s.replyAddress,
          cc: s.cc,
          bcc: s.bcc,
          dkim: s.dkim ? `${s.dkim.selector}._domainkey.${s.dkim.domain}` : null,
          ...(s.problem ? { problem: s.problem } : {}),
        };
        if (options.json) printJson(shown);
        else {
          const { t } = words();
          const value = (key: string, v: unknown): string => {
            if (key === 'smtpFrom' && v) return t(`cli.report.mailShow.${v === 'company' ? 'company' : 'environment'}`);
            if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : t('cli.report.mailShow.none');
            return v === null || v === undefined ? t('cli.report.mailShow.none') : String(v);
          };
          process.stdout.write(
            `${Object.entries(shown)
              .map(([k, v]) => t('cli.issue', { field: t(`cli.report.mailShow.${k}`), reason: value(k, v) }))
              .join('\n')}\n`,
          );
        }
      });
    });
  mail
    .command('set')
    .description('change the given settings (an empty value clears one)')
    .option('--smtp <url>', 'smtp://user:pass@host:587 or smtps://…:465')
    .option('--from <address>', 'sender, e.g. "Société A <compta@societe-a.fr>"')
    .option('--reply-to <address>', 'where answers go')
    .option(
      '--reply-address <address>',
      "the reply listener's address; reminders then answer to it, tagged per customer",
    )
    .option('--cc <addresses>', 'copy of every reminder (comma-separated)')
    .option('--bcc <addresses>', 'blind copy of every reminder (comma-separated)')
    .option('--dkim-domain <domain>')
    .option('--dkim-selector <selector>')
    .option('--dkim-key-file <pem>')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      const patch: MailSettingsPatch = {};
      const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
      if (options.smtp !== undefined) patch.smtpUrl = clear(options.smtp);
      if (options.from !== undefined) patch.from = clear(options.from);
      if (options.replyTo !== undefined) patch.replyTo = clear(options.replyTo);
      if (options.replyAddress !== undefined) patch.replyAddress = clear(options.replyAddress);
      if (options.cc !== undefined) patch.cc = list(options.cc);
      if (options.bcc !== undefined) patch.bcc = list(options.bcc);
      if (options.dkimKeyFile || options.dkimDomain || options.dkimSelector) {
        if (!options.dkimKeyFile || !options.dkimDomain || !options.dkimSelector) {
          throw new InvalidArgumentError(words().t('cli.report.arg.dkim'));
        }
        patch.dkim = {
          domain: options.dkimDomain,
          selector: options.dkimSelector,
          privateKey: readFileSync(options.dkimKeyFile, 'utf8'),
        };
      }
      await withStore(command, async (store, company) => {
        await saveMailSettings(store.db, company.id, patch);
        process.stdout.write(`${words().t('cli.out.mailSaved')}\n`);
      });
    });

  const bounces = new Command('bounces').description('delivery failure notices (DSN)');
  bounces
    .command('listen')
    .description('run an SMTP listener that takes bounces: message bounced, address flagged')
    .requiredOption('--port <port>', 'port to listen on', countOption)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .action(async (options: { port: number; host?: string }, command: Command) => {
      await withStore(command, async (store) => {
        const listener = await startBounceListener(store.db, {
          port: options.port,
          host: options.host,
          onBounce: (outcome) => {
            if (outcome.message) {
              process.stdout.write(
                `${words().t('cli.out.bounced', {
                  to: outcome.message.to.join(', '),
                  why: bounceWhy(outcome.bounce!.reason),
                  reason: outcome.bounce!.reason,
                  count: outcome.flagged,
                })}\n`,
              );
            }
          },
        });
        process.stdout.write(
          `${words().t('cli.out.listening', { address: `${options.host ?? '127.0.0.1'}:${listener.port}` })}\n`,
        );
        await new Promise<void>((done) => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
        });
        await listener.close();
      });
    });

  const replies = new Command('replies').description("customers' answers to reminders");
  replies
    .command('listen')
    .description("run an SMTP listener that takes customers' answers: stored on the customer, next step held")
    .requiredOption('--port <port>', 'port to listen on', countOption)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .action(async (options: { port: number; host?: string }, command: Command) => {
      await withStore(command, async (store) => {
        const listener = await startReplyListener(store.db, {
          port: options.port,
          host: options.host,
          onReply: (outcomes) => {
            for (const o of outcomes) {
              if (o.reply && !o.reply.duplicate)
                process.stdout.write(
                  `${words().t(`cli.report.replies.${o.reply.autoReply ? 'autoReply' : 'answer'}`, { customer: o.reply.customerCode })}\n`,
                );
            }
          },
        });
        process.stdout.write(
          `${words().t('cli.report.replies.listening', { address: `${options.host ?? '127.0.0.1'}:${listener.port}` })}\n`,
        );
        await new Promise<void>((done) => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
        });
        await listener.close();
      });
    });

  return [outbox, dispatch, sendTest, remind, simulate, mail, bounces, replies];
}

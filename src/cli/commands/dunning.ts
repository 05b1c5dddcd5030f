import { Command } from 'commander';
import type { Plan } from '../../domain/dunning/engine.ts';
import type { RunResult } from '../../dunning/run-dunning.ts';
import type { ItemCharges } from '../../dunning/plan-charges.ts';
import { parseAmount } from '../../domain/money.ts';
import type { MissingRate } from '../../domain/late-payment/rates.ts';
import { cliActor, dataDirOf, withStore } from '../context.ts';
import { dateOption } from '../parse-options.ts';
import { money, printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { readJsonInput } from './integrations.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';

// The use cases are loaded by the action that runs them: `run` pulls in the mail and the letters (PDF), which a
// usage error, --help or `plan` should not pay for.
const visible = () => import('../../dunning/visible-dunning.ts');
const planJsonOf = async () => (await import('../../dunning/plan-json.ts')).planJson;

async function printPlan(
  plan: Plan & { charges?: Map<string, ItemCharges>; missingRates?: MissingRate[] },
): Promise<void> {
  const { t, locale, language } = words();
  // The charges a letter will claim, as the reader writes amounts and rates; those computed but not claimed
  // by the step are shown in brackets.
  const amount = (text: string | null, currency: string) => {
    if (text === null) return '?';
    const cents = parseAmount(text, currency);
    return cents.ok ? money(cents.value, currency, locale) : text;
  };
  const charges = (invoice: string) => {
    const c = plan.charges?.get(invoice);
    if (!c || (c.interest === null && c.indemnity === null)) return '';
    const text = t('cli.planCharges.text', {
      interest: amount(c.interest, c.currency),
      indemnity: amount(c.indemnity, c.indemnityCurrency),
      law: c.law,
      rate:
        c.rate === null ? '' : t('cli.planCharges.rate', { rate: locale === 'fr' ? c.rate.replace('.', ',') : c.rate }),
    });
    return c.chargesClaimed ? text : `[${text}]`;
  };
  const rows = plan.items.map((i) => [
    i.customer,
    i.invoice,
    t(`cli.action.${i.action}`),
    i.nextLevel === null ? '' : String(i.nextLevel),
    i.label,
    String(i.daysOverdue),
    money(i.balanceCents, i.currency, locale),
    charges(i.invoice),
    i.reason ? t(`plan.reason.${i.reason.code}`) : '',
  ]);
  process.stdout.write(
    `${table(
      ['customer', 'invoice', 'action', 'level', 'step', 'days', 'balance', 'charges', 'reason'].map((k) =>
        t(`cli.table.${k}`),
      ),
      rows,
      [3, 5, 6],
    )}\n`,
  );
  if ([...(plan.charges?.values() ?? [])].some((c) => !c.chargesClaimed)) {
    process.stdout.write(`${t('cli.bracketCharges')}\n`);
  }
  if (plan.missingRates?.length) {
    const { describeMissingRate } = await import('../../dunning/late-payment-rates.ts');
    for (const missing of plan.missingRates) process.stdout.write(`${describeMissingRate(missing, language)}\n`);
  }
  const date = locale === 'fr' ? formatIsoDate(plan.date, 'fr') : plan.date;
  process.stdout.write(`${t('cli.communications', { count: plan.communications.length, date })}\n`);
  for (const c of plan.communications) {
    const channels = c.channels.map((ch) => t(`enums.channel.${ch}`)).join(' + ');
    process.stdout.write(
      `  ${c.customer}  ${c.label} (${channels})  ${c.invoices.map((i) => i.invoice).join(', ')}  ${money(c.totalCents, c.currency, locale)}\n`,
    );
  }
}

export function dunningCommands(): Command[] {
  const planCommand = new Command('plan')
    .description('simulate the reminders of a date without changing anything')
    .option('--date <date>', "the day to plan (default: today in the company's time zone)", dateOption)
    .option('--customer <code>', 'only this customer')
    .option('--json', 'print JSON')
    .action(async (options: { date?: string; customer?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { planFor } = await visible();
        const plan = await planFor(store.db, cliActor(company), { date: options.date, customerCode: options.customer });
        if (options.json) printJson((await planJsonOf())(plan));
        else await printPlan(plan);
      });
    });

  const runCommand = new Command('run')
    .description('record the reminders of a date (and hand them to the output channels)')
    .option('--date <date>', 'the day of the run (default: today)', dateOption)
    .option('--customer <code>', 'only this customer')
    .option('--invoice <number...>', 'only these invoices')
    .option('--dry-run', 'show what would be recorded, record nothing')
    .option('--letters', 'send every reminder by post (without an SMTP server, a run with e-mails is refused)')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          date?: string;
          customer?: string;
          invoice?: string[];
          dryRun?: boolean;
          letters?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withStore(command, async (store, company) => {
          // The same use case as the API's and the scheduler's runs: it refuses a date to come, records, and sends
          // at once what it queued (or leaves it queued, reported, when the SMTP server cannot be reached).
          const { runRemindersAndDispatch } = await import('../../dunning/run-reminders.ts');
          const result = await runRemindersAndDispatch(store.db, cliActor(company), {
            date: options.date,
            customerCode: options.customer,
            invoiceNumbers: options.invoice,
            dryRun: options.dryRun,
            dataDir: dataDirOf(store),
            lettersOnly: options.letters,
            refuseWithoutSmtp: true,
          });
          if (options.json) {
            printJson({
              run: result.run,
              dryRun: options.dryRun ?? false,
              communications: result.communications,
              reminders: result.reminders,
              raced: result.raced,
              stale: result.stale,
              skipped: result.skipped ?? null,
              skippedReason: result.skippedReason ?? null,
              mail: result.dispatch,
              plan: (await planJsonOf())(result.plan),
            });
            return;
          }
          const { language } = words();
          if (options.dryRun) await printPlan(result.plan);
          else process.stdout.write(`${runSummary(result)}\n`);
          if (result.dispatch) {
            const { describeDispatch } = await import('../../mail/describe-dispatch.ts');
            process.stdout.write(`${describeDispatch(result.dispatch, language)}\n`);
          }
        });
      },
    );

  const remindersCommand = new Command('reminders')
    .description('the reminders sent ("Relances envoyées"), by invoice and level')
    .option('--invoice <number>', 'only this invoice')
    .option('--customer <code>', 'only this customer')
    .option('--json', 'print JSON')
    .action(async (options: { invoice?: string; customer?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { listSentReminders } = await visible();
        const history = await listSentReminders(store.db, cliActor(company), {
          invoiceNumber: options.invoice,
          customerCode: options.customer,
        });
        if (options.json) printJson(history);
        else {
          const { t, locale } = words();
          process.stdout.write(
            `${table(
              ['invoice', 'customer', 'level', 'sentOn', 'channel'].map((k) => t(`cli.table.${k}`)),
              history.map((r) => [
                r.invoice,
                r.customer,
                String(r.level),
                locale === 'fr' ? formatIsoDate(r.sentOn, 'fr') : r.sentOn,
                t(`enums.channel.${r.channel}`),
              ]),
              [2],
            )}\n`,
          );
        }
      });
    });

  const policy = new Command('policy').description('dunning policies: steps, delays, channels, minimum');
  policy
    .command('import')
    .description('save a policy from a JSON file (replacing the one of the same name)')
    .argument('<file>', 'policy JSON')
    .option('--default', "make it the company's default policy")
    .action(async (file: string, options: { default?: boolean }, command: Command) => {
      const json = readJsonInput(file);
      await withStore(command, async (store, company) => {
        const { savePolicy } = await import('../../dunning/save-policy.ts');
        const saved = await savePolicy(store.db, cliActor(company), { definition: json, makeDefault: options.default });
        const { t } = words();
        process.stdout.write(
          `${t('cli.out.policySaved', {
            name: saved.name,
            asDefault: saved.isDefault ? t('cli.out.policyAsDefault') : '',
            count: saved.policy.steps.length,
          })}\n`,
        );
      });
    });
  policy
    .command('show')
    .description('print a policy (the default one unless --name)')
    .option('--name <name>', 'policy name')
    .option('--json', 'print JSON')
    .action(async (options: { name?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { storedPolicy } = await import('../../dunning/view-policies.ts');
        const { defaultPolicy, parsePolicy, DEFAULT_POLICY_JSON } = await import('../../domain/dunning/policy.ts');
        const stored = await storedPolicy(store.db, company.id, options.name);
        const definition = stored?.definition ?? DEFAULT_POLICY_JSON;
        if (options.json) {
          printJson(definition);
          return;
        }
        const p = stored ? parsePolicy(definition) : defaultPolicy();
        const { t } = words();
        process.stdout.write(
          `${p.name}${stored ? '' : t('cli.builtInDefault')}\n${table(
            ['level', 'step', 'delay', 'from', 'channels'].map((k) => t(`cli.table.${k}`)),
            p.steps.map((s, i) => [
              String(i + 1),
              s.label,
              String(s.delayDays),
              t(`enums.stepOrigin.${s.from}`),
              s.channels.map((ch) => t(`enums.channel.${ch}`)).join(' + '),
            ]),
            [0, 2],
          )}\n`,
        );
      });
    });
  return [planCommand, runCommand, remindersCommand, policy];
}

/** What a run recorded, in the reader's words. */
function runSummary(result: RunResult): string {
  const { t } = words();
  return t('cli.report.run', {
    id: result.run?.id ?? '',
    communications: t('cli.report.scheduler.communications', { count: result.communications }),
    reminders: t('cli.report.scheduler.reminders', { count: result.reminders }),
    raced: result.raced ? t('cli.report.runRaced', { count: result.raced }) : '',
    stale: result.stale ? t('cli.report.runStale', { count: result.stale }) : '',
    skipped: result.skipped
      ? t('cli.report.runSkipped', {
          reason: result.skippedReason ? t(result.skippedReason.code, result.skippedReason.params) : result.skipped,
        })
      : '',
  });
}

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import type { Plan } from '../../domain/dunning/engine.ts';
import { defaultPolicy, parsePolicy, DEFAULT_POLICY_JSON } from '../../domain/dunning/policy.ts';
import { formatAmount } from '../../domain/money.ts';
import { planDunning, runDunning, type RunResult } from '../../dunning/run-dunning.ts';
import type { ItemCharges } from '../../dunning/plan-charges.ts';
import { AppError } from '../../shared/errors.ts';
import { describeMissingRate } from '../../dunning/late-payment-rates.ts';
import type { MissingRate } from '../../domain/late-payment/rates.ts';
import { getPolicy, listReminders, savePolicy } from '../../storage/dunning.ts';
import { withStore } from '../context.ts';
import { describeDispatch } from '../../mail/describe-dispatch.ts';
import { dataDirOf, dispatchNow } from './mail.ts';
import { dateOption } from '../parse-options.ts';
import { printJson, table } from '../format.ts';

/** The plan in the documented JSON shape: one item per open invoice that is late or in a pre-reminder window. */
export function planJson(plan: Plan & { charges?: Map<string, ItemCharges>; missingRates?: MissingRate[] }) {
  const totals = (t: Record<string, number>) =>
    Object.fromEntries(Object.entries(t).map(([c, v]) => [c, formatAmount(v, c)]));
  return {
    date: plan.date,
    items: plan.items.map((i) => ({
      customer: i.customer,
      invoice: i.invoice,
      action: i.action,
      nextLevel: i.nextLevel,
      lastLevel: i.lastLevel,
      label: i.label,
      daysOverdue: i.daysOverdue,
      balance: i.balance,
      currency: i.currency,
      channels: i.channels,
      eligibleOn: i.eligibleOn ?? null,
      reasonCode: i.reason?.code ?? null,
      reason: i.reason ? `${i.reason.code}: ${i.reason.message}` : null,
      interest: plan.charges?.get(i.invoice)?.interest ?? null,
      indemnity: plan.charges?.get(i.invoice)?.indemnity ?? null,
      chargesNotes: plan.charges?.get(i.invoice)?.notes ?? [],
      indemnityCurrency: plan.charges?.get(i.invoice)?.indemnityCurrency ?? null,
      law: plan.charges?.get(i.invoice)?.law ?? null,
      rate: plan.charges?.get(i.invoice)?.rate ?? null,
      chargesClaimed: plan.charges?.get(i.invoice)?.chargesClaimed ?? false,
    })),
    missingRates: (plan.missingRates ?? []).map((m) => ({
      series: m.series,
      halfYear: m.halfYear,
      date: m.date,
      where: m.where,
      message: describeMissingRate(m, 'en'),
      messageFr: describeMissingRate(m, 'fr'),
    })),
    communications: plan.communications.map((c) => ({
      customer: c.customer,
      currency: c.currency,
      level: c.level,
      label: c.label,
      channels: c.channels,
      formalNotice: c.formalNotice,
      invoices: c.invoices.map((i) => i.invoice),
      total: c.total,
    })),
    summary: {
      levels: plan.summary.levels.map((l) => ({
        level: l.level,
        label: l.label,
        toSend: { count: l.toSend.count, totals: totals(l.toSend.totals) },
        inProgress: { count: l.inProgress.count, totals: totals(l.inProgress.totals) },
      })),
      outOfCycle: { count: plan.summary.outOfCycle.count, totals: totals(plan.summary.outOfCycle.totals) },
      byReason: Object.fromEntries(
        Object.entries(plan.summary.byReason).map(([k, b]) => [k, { count: b!.count, totals: totals(b!.totals) }]),
      ),
      sends: plan.items.filter((i) => i.action === 'send').length,
      communications: plan.communications.length,
    },
  };
}

function printPlan(plan: Plan & { charges?: Map<string, ItemCharges>; missingRates?: MissingRate[] }): void {
  // The charges a letter will claim; those computed but not claimed by the step are shown in brackets.
  const charges = (invoice: string) => {
    const c = plan.charges?.get(invoice);
    if (!c || (c.interest === null && c.indemnity === null)) return '';
    const text = `${c.interest ?? '?'} + ${c.indemnity ?? '?'} (${c.law}${c.rate ? ` ${c.rate} %` : ''})`;
    return c.chargesClaimed ? text : `[${text}]`;
  };
  const rows = plan.items.map((i) => [
    i.customer,
    i.invoice,
    i.action,
    i.nextLevel === null ? '' : String(i.nextLevel),
    i.label,
    String(i.daysOverdue),
    i.balance,
    charges(i.invoice),
    i.reason ? i.reason.code : '',
  ]);
  process.stdout.write(
    `${table(
      ['Customer', 'Invoice', 'Action', 'Level', 'Step', 'Days', 'Balance', 'Charges', 'Reason'],
      rows,
      [3, 5, 6],
    )}\n`,
  );
  if ([...(plan.charges?.values() ?? [])].some((c) => !c.chargesClaimed)) {
    process.stdout.write(
      '[Charges in brackets]: owed by law but not claimed by the letter of that step (policy charges off).\n',
    );
  }
  for (const missing of plan.missingRates ?? []) process.stdout.write(`${describeMissingRate(missing, 'en')}\n`);
  process.stdout.write(`${plan.communications.length} communications to send on ${plan.date}:\n`);
  for (const c of plan.communications) {
    process.stdout.write(
      `  ${c.customer}  ${c.label} (${c.channels.join(' + ')})  ${c.invoices.map((i) => i.invoice).join(', ')}  ${c.total} ${c.currency}\n`,
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
        const plan = await planDunning(store.db, company.id, {
          date: options.date ?? todayIn(company.timeZone),
          customerCode: options.customer,
        });
        if (options.json) printJson(planJson(plan));
        else printPlan(plan);
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
          // Recording reminders dated in the future would make later real runs skip or jump levels.
          const today = todayIn(company.timeZone);
          if (!options.dryRun && options.date !== undefined && options.date > today) {
            throw new AppError(
              'usage',
              `--date ${options.date} is in the future; use relance plan (or --dry-run) to simulate it.`,
            );
          }
          const result: RunResult = await runDunning(store.db, company.id, {
            date: options.date ?? todayIn(company.timeZone),
            customerCode: options.customer,
            invoiceNumbers: options.invoice,
            dryRun: options.dryRun,
            dataDir: dataDirOf(store),
            lettersOnly: options.letters,
            refuseWithoutSmtp: true,
          });
          // The run queued its e-mails with its reminders; they go now (or stay queued, shown, without SMTP).
          const mail = options.dryRun ? null : await dispatchNow(store, company.id);
          if (options.json) {
            printJson({
              run: result.run,
              dryRun: options.dryRun ?? false,
              communications: result.communications,
              reminders: result.reminders,
              raced: result.raced,
              stale: result.stale,
              skipped: result.skipped ?? null,
              mail,
              plan: planJson(result.plan),
            });
            return;
          }
          if (options.dryRun) printPlan(result.plan);
          else
            process.stdout.write(
              `Run ${result.run?.id}: ${result.communications} communications, ${result.reminders} reminders recorded` +
                `${result.raced ? `, ${result.raced} already recorded by another run` : ''}` +
                `${result.stale ? `, ${result.stale} left for the next run (an invoice changed meanwhile)` : ''}` +
                `${result.skipped ? ` (${result.skipped})` : ''}.\n`,
            );
          if (mail) process.stdout.write(`${describeDispatch(mail)}\n`);
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
        const history = await listReminders(store.db, company.id, {
          invoiceNumber: options.invoice,
          customerCode: options.customer,
        });
        if (options.json) printJson(history);
        else
          process.stdout.write(
            `${table(
              ['Invoice', 'Customer', 'Level', 'Sent on', 'Channel'],
              history.map((r) => [r.invoice, r.customer, String(r.level), r.sentOn, r.channel]),
              [2],
            )}\n`,
          );
      });
    });

  const policy = new Command('policy').description('dunning policies: steps, delays, channels, minimum');
  policy
    .command('import')
    .description('save a policy from a JSON file (replacing the one of the same name)')
    .argument('<file>', 'policy JSON')
    .option('--default', "make it the company's default policy")
    .action(async (file: string, options: { default?: boolean }, command: Command) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new AppError('invalid_input', `Cannot read ${file} as JSON: ${(error as Error).message}.`);
      }
      const parsed = parsePolicy(json);
      await withStore(command, async (store, company) => {
        const saved = await savePolicy(store.db, company.id, {
          name: parsed.name,
          definition: json,
          makeDefault: options.default,
        });
        process.stdout.write(
          `Policy "${saved.name}" saved${saved.isDefault ? ' as the default' : ''}: ${parsed.steps.length} steps.\n`,
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
        const stored = await getPolicy(store.db, company.id, options.name);
        const definition = stored?.definition ?? DEFAULT_POLICY_JSON;
        if (options.json) {
          printJson(definition);
          return;
        }
        const p = stored ? parsePolicy(definition) : defaultPolicy();
        process.stdout.write(
          `${p.name}${stored ? '' : ' (built-in default)'}\n${table(
            ['Level', 'Step', 'Delay', 'From', 'Channels'],
            p.steps.map((s, i) => [String(i + 1), s.label, String(s.delayDays), s.from, s.channels.join(' + ')]),
            [0, 2],
          )}\n`,
        );
      });
    });
  return [planCommand, runCommand, remindersCommand, policy];
}

import { Command, InvalidArgumentError } from 'commander';
import { setCustomerLawByCode } from '../../dunning/customer-law.ts';
import { startWorkers } from '../../scheduler/workers.ts';
import { dataDirOf } from './mail.ts';
import { updateCompany, type CompanyInput } from '../../storage/companies.ts';
import { setCustomerDunning } from '../../storage/dunning.ts';
import { openStore } from '../../storage/database.ts';
import { withStore, type GlobalOptions } from '../context.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { printJson } from '../format.ts';

function onOff(value: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new InvalidArgumentError('use on or off');
}

type CompanyFlags = { name?: string; siren?: string; vat?: string; iban?: string; bic?: string; timeZone?: string;
  auto?: boolean; time?: string; skipWeekends?: boolean; skipHolidays?: boolean; paymentLink?: string; formalNoticeDays?: number };

export function companyCommand(): Command {
  const company = new Command('company').description('the company: letterhead details and automatic mode');
  company.command('show').description('print the company settings as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (_store, current) => printJson(current));
    });
  company.command('set').description('change company settings (only the given ones)')
    .option('--name <legal name>').option('--siren <siren>').option('--vat <number>').option('--iban <iban>').option('--bic <bic>')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Paris')
    .option('--auto <on|off>', 'automatic mode: run the plan every day', onOff)
    .option('--time <HH:MM>', 'local time of the daily automatic run')
    .option('--skip-weekends <on|off>', 'no automatic run on Saturdays and Sundays', onOff)
    .option('--skip-holidays <on|off>', 'no automatic run on public holidays of the company\'s country', onOff)
    .option('--payment-link <url>', 'payment link of messages, with {{ reference }} / {{ amount }}; "" to remove')
    .option('--formal-notice-days <n>', 'days a formal notice gives to pay (default 8)', countOption)
    .action(async (flags: CompanyFlags, command: Command) => {
      await withStore(command, async (store, current) => {
        const automation: Partial<CompanyInput['automation'] & object> = {};
        if (flags.auto !== undefined) automation.enabled = flags.auto;
        if (flags.time !== undefined) automation.time = flags.time;
        if (flags.skipWeekends !== undefined) automation.skipWeekends = flags.skipWeekends;
        if (flags.skipHolidays !== undefined) automation.skipHolidays = flags.skipHolidays;
        const input: Partial<CompanyInput> = { automation };
        if (flags.name !== undefined) input.legalName = flags.name;
        if (flags.siren !== undefined) input.siren = flags.siren;
        if (flags.vat !== undefined) input.vatNumber = flags.vat;
        if (flags.iban !== undefined) input.iban = flags.iban;
        if (flags.bic !== undefined) input.bic = flags.bic;
        if (flags.timeZone !== undefined) input.timeZone = flags.timeZone;
        if (flags.paymentLink !== undefined) input.paymentLinkPattern = flags.paymentLink || null;
        if (flags.formalNoticeDays !== undefined) input.formalNoticeDays = flags.formalNoticeDays;
        printJson(await updateCompany(store.db, current.id, input));
      });
    });
  return company;
}

export function holdCommand(): Command {
  return new Command('hold')
    .description('give a customer its own policy, pause its reminders until a date, or block them')
    .argument('<customer>', 'customer code')
    .option('--until <date>', 'pause reminders up to and including this date', dateOption)
    .option('--block <reason>', 'stop reminders until unblocked')
    .option('--policy <name>', 'use this policy for the customer')
    .option('--clear', 'remove pause, block and own policy')
    .option('--law <law>', 'the contract\'s "loi applicable" for late-payment charges: FR, DE, GB, EU, or default (the seller\'s)')
    .action(async (code: string, flags: { until?: string; block?: string; policy?: string; clear?: boolean; law?: string },
      command: Command) => {
      await withStore(command, async (store, company) => {
        if (flags.law !== undefined) await setCustomerLawByCode(store.db, company.id, code, flags.law);
        await setCustomerDunning(store.db, company.id, code, flags.clear
          ? { pausedUntil: null, blockedReason: null, policyName: null }
          : { pausedUntil: flags.until, blockedReason: flags.block, policyName: flags.policy });
        process.stdout.write(`Customer ${code} updated.\n`);
      });
    });
}

/** A long-running worker: the daily automatic run of every company in automatic mode. */
export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the daily automatic reminders of every company in automatic mode (keeps running)')
    .action(async (_options: unknown, command: Command) => {
      const store = await openStore(command.optsWithGlobals<GlobalOptions>().db);
      const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);
      const workers = startWorkers(store.db, { dataDir: dataDirOf(store), log });
      log(`scheduler started on ${store.location}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await workers.stop();
      await store.close();
    });
}

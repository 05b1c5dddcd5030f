import { Command, InvalidArgumentError } from 'commander';
import type { CompanyInput } from '../../storage/companies.ts';
import { cliActor, dataDirOf, withStore, type GlobalOptions } from '../context.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { printJson } from '../format.ts';
import { parseAmount } from '../../domain/money.ts';
import { words } from '../words.ts';
import { optionReason } from '../parse-options.ts';

function onOff(value: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new InvalidArgumentError(words().t('cli.report.arg.onOff'));
}

type CompanyFlags = {
  name?: string;
  siren?: string;
  vat?: string;
  iban?: string;
  bic?: string;
  timeZone?: string;
  legalForm?: string;
  capital?: number;
  siret?: string;
  rcs?: string;
  phone?: string;
  senderName?: string;
  senderEmail?: string;
  addressLine1?: string;
  addressLine2?: string;
  postcode?: string;
  city?: string;
  country?: string;
  auto?: boolean;
  time?: string;
  skipWeekends?: boolean;
  skipHolidays?: boolean;
  paymentLink?: string;
  formalNoticeDays?: number;
  portalLinkDays?: number;
  notifyAnswers?: boolean;
  json?: boolean;
};

export function companyCommand(): Command {
  const company = new Command('company').description('the company: letterhead details and automatic mode');
  company
    .command('show')
    .description('print the company settings as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (_store, current) => printJson(current));
    });
  company
    .command('set')
    .description('change company settings (only the given ones)')
    .option('--name <legal name>')
    .option('--siren <siren>')
    .option('--vat <number>')
    .option('--iban <iban>')
    .option('--bic <bic>')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Paris')
    .option('--legal-form <form>', 'forme juridique: SARL, SAS, EURL, EI…')
    .option('--capital <amount>', 'capital social, e.g. 10000 or "10 000,00"', amountOption)
    .option('--siret <siret>', 'SIRET of the head office (14 digits)')
    .option('--rcs <entry>', 'registry entry as printed, e.g. "RCS Lyon 732 829 320"')
    .option('--phone <number>')
    .option('--sender-name <name>', 'name e-mails are sent under')
    .option('--sender-email <address>', 'address e-mails are sent from (when the mail settings name none)')
    .option('--address-line1 <text>')
    .option('--address-line2 <text>')
    .option('--postcode <code>')
    .option('--city <city>')
    .option('--country <code>', 'ISO country code of the company, e.g. FR')
    .option('--auto <on|off>', 'automatic mode: run the plan every day', onOff)
    .option('--time <HH:MM>', 'local time of the daily automatic run')
    .option('--skip-weekends <on|off>', 'no automatic run on Saturdays and Sundays', onOff)
    .option('--skip-holidays <on|off>', "no automatic run on public holidays of the company's country", onOff)
    .option('--payment-link <url>', 'payment link of messages, with {{ reference }} / {{ amount }}; "" to remove')
    .option('--formal-notice-days <n>', 'days a formal notice gives to pay (default 8)', countOption)
    .option('--portal-link-days <n>', 'days a link to the payment page opens it, 1 to 365 (default 60)', countOption)
    .option('--notify-answers <on|off>', "e-mail collectors of customers' answers and payment-page actions", onOff)
    .option('--json', 'print the company settings as JSON')
    .action(async (flags: CompanyFlags, command: Command) => {
      await withStore(command, async (store, current) => {
        const automation: Partial<CompanyInput['automation'] & object> = {};
        if (flags.auto !== undefined) automation.enabled = flags.auto;
        if (flags.time !== undefined) automation.time = flags.time;
        if (flags.skipWeekends !== undefined) automation.skipWeekends = flags.skipWeekends;
        if (flags.skipHolidays !== undefined) automation.skipHolidays = flags.skipHolidays;
        // Only the settings given: the audit row names what changed, as the API's does.
        const input: Partial<CompanyInput> = Object.keys(automation).length > 0 ? { automation } : {};
        if (flags.name !== undefined) input.legalName = flags.name;
        if (flags.siren !== undefined) input.siren = flags.siren;
        if (flags.vat !== undefined) input.vatNumber = flags.vat;
        if (flags.iban !== undefined) input.iban = flags.iban;
        if (flags.bic !== undefined) input.bic = flags.bic;
        if (flags.timeZone !== undefined) input.timeZone = flags.timeZone;
        Object.assign(input, identityInput(flags));
        if (flags.paymentLink !== undefined) input.paymentLinkPattern = flags.paymentLink || null;
        if (flags.formalNoticeDays !== undefined) input.formalNoticeDays = flags.formalNoticeDays;
        if (flags.portalLinkDays !== undefined) input.portalLinkDays = flags.portalLinkDays;
        if (flags.notifyAnswers !== undefined) input.notifyAnswers = flags.notifyAnswers;
        const { json, ...given } = flags;
        const count = Object.values(given).filter((value) => value !== undefined).length;
        // Nothing given, nothing written: no audit row for a change that did not happen.
        const company =
          count > 0
            ? await (await import('../../accounts/update-company.ts')).updateCompany(store.db, cliActor(current), input)
            : current;
        if (json) printJson(company);
        else
          process.stdout.write(
            `${words().t(count > 0 ? 'cli.out.companySaved' : 'cli.out.companyUnchanged', { count })}\n`,
          );
      });
    });
  return company;
}

function amountOption(value: string): number {
  const parsed = parseAmount(value);
  if (!parsed.ok) throw new InvalidArgumentError(optionReason(parsed));
  return parsed.value;
}

/** The identity flags given, as company fields; "" clears one. */
function identityInput(flags: CompanyFlags): Partial<CompanyInput> {
  const input: Partial<CompanyInput> = {};
  const text = {
    legalForm: flags.legalForm,
    siret: flags.siret,
    rcs: flags.rcs,
    phone: flags.phone,
    senderName: flags.senderName,
    senderEmail: flags.senderEmail,
  };
  for (const [key, value] of Object.entries(text))
    if (value !== undefined) Object.assign(input, { [key]: value || null });
  if (flags.capital !== undefined) input.shareCapital = flags.capital;
  const address: Partial<CompanyInput['address'] & object> = {};
  if (flags.addressLine1 !== undefined) address.line1 = flags.addressLine1 || null;
  if (flags.addressLine2 !== undefined) address.line2 = flags.addressLine2 || null;
  if (flags.postcode !== undefined) address.postcode = flags.postcode || null;
  if (flags.city !== undefined) address.city = flags.city || null;
  if (flags.country !== undefined) address.country = flags.country.toUpperCase();
  if (Object.keys(address).length > 0) input.address = address;
  return input;
}

export function holdCommand(): Command {
  return new Command('hold')
    .description('give a customer its own policy, pause its reminders until a date, or block them')
    .argument('<customer>', 'customer code')
    .option('--until <date>', 'pause reminders up to and including this date', dateOption)
    .option('--block <reason>', 'stop reminders until unblocked')
    .option('--policy <name>', 'use this policy for the customer')
    .option('--clear', 'remove pause, block and own policy')
    .option(
      '--law <law>',
      'the contract\'s "loi applicable" for late-payment charges: FR, DE, GB, EU, or default (the seller\'s)',
    )
    .action(
      async (
        code: string,
        flags: { until?: string; block?: string; policy?: string; clear?: boolean; law?: string },
        command: Command,
      ) => {
        await withStore(command, async (store, company) => {
          // The use cases are loaded by the action that runs them, not with the command's definition.
          const { setCustomerHold } = await import('../../dunning/set-customer-hold.ts');
          await setCustomerHold(
            store.db,
            cliActor(company),
            { code },
            flags.clear
              ? { pausedUntil: null, blockedReason: null, policy: null, law: flags.law }
              : { pausedUntil: flags.until, blockedReason: flags.block, policy: flags.policy, law: flags.law },
          );
          process.stdout.write(`${words().t('cli.report.customerUpdated', { code })}\n`);
        });
      },
    );
}

/** A long-running worker: the daily automatic run of every company in automatic mode. */
export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the daily automatic reminders of every company in automatic mode (keeps running)')
    .action(async (_options: unknown, command: Command) => {
      const { openStore } = await import('../../storage/database.ts');
      const { startPlanThread } = await import('../../dunning/split-plan.ts');
      const { startWorkers } = await import('../../scheduler/workers.ts');
      const store = await openStore(command.optsWithGlobals<GlobalOptions>().db);
      const { t, language } = words();
      const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);
      // As `relance serve`: this process lives on, its large plans on SQLite are made in two threads.
      if (store.dialect === 'sqlite') void startPlanThread();
      const workers = startWorkers(store.db, { dataDir: dataDirOf(store), log, language });
      log(t('cli.report.scheduler.started', { location: store.location }));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await workers.stop();
      await store.close();
    });
}

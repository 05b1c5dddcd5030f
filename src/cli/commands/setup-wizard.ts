import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import type { SetupInput, SetupOutcome } from '../../accounts/setup.ts';
import type { SetupChecklist } from '../../accounts/setup-checklist.ts';
import { parseAmount } from '../../domain/money.ts';
import { SMTP_PRESETS, type SmtpSecurity } from '../../mail/smtp-presets.ts';
import { AppError } from '../../shared/errors.ts';
import { withStore } from '../context.ts';
import { words } from '../words.ts';
import { readInput } from './integrations.ts';

type Flags = Record<string, string | undefined> & { interactive?: boolean };

// Each identity flag and the company field it sets; its question is `cli.setup.ask.<flag>` in the catalogue.
const IDENTITY: [flag: string, field: string][] = [
  ['name', 'legalName'],
  ['legalForm', 'legalForm'],
  ['capital', 'shareCapital'],
  ['siren', 'siren'],
  ['siret', 'siret'],
  ['rcs', 'rcs'],
  ['vat', 'vatNumber'],
  ['addressLine1', 'address.line1'],
  ['postcode', 'address.postcode'],
  ['city', 'address.city'],
  ['country', 'address.country'],
  ['phone', 'phone'],
  ['iban', 'iban'],
  ['bic', 'bic'],
  ['senderName', 'senderName'],
  ['senderEmail', 'senderEmail'],
  ['timeZone', 'timeZone'],
];

function identityOf(flags: Flags): SetupInput['identity'] {
  const identity: Record<string, unknown> = {};
  const address: Record<string, unknown> = {};
  for (const [flag, field] of IDENTITY) {
    const value = flags[flag];
    if (value === undefined) continue;
    let parsed: unknown = value === '' ? null : value;
    if (field === 'shareCapital' && value !== '') {
      const amount = parseAmount(value);
      if (!amount.ok) {
        const { t } = words();
        const reason = amount.code ? t(amount.code, amount.params ?? {}) : amount.reason;
        throw new AppError('invalid_input', `--capital: ${amount.reason}`, [], {
          key: 'cli.setup.capital',
          params: { reason },
        });
      }
      parsed = amount.value;
    }
    if (field === 'address.country' && typeof parsed === 'string') parsed = parsed.toUpperCase();
    if (field.startsWith('address.')) address[field.slice(8)] = parsed;
    else identity[field] = parsed;
  }
  if (Object.keys(address).length > 0) identity.address = address;
  return identity;
}

function smtpOf(flags: Flags): SetupInput['smtp'] {
  const preset = flags.smtpPreset ? SMTP_PRESETS[flags.smtpPreset] : undefined;
  if (flags.smtpPreset && !preset) {
    const presets = Object.keys(SMTP_PRESETS).join(', ');
    throw new AppError('usage', `--smtp-preset ${flags.smtpPreset}: use one of ${presets}.`, [], {
      key: 'cli.setup.smtpPreset',
      params: { value: flags.smtpPreset, presets },
    });
  }
  const host = flags.smtpHost ?? preset?.host;
  if (!host) return undefined;
  const security = (flags.smtpSecurity ?? preset?.security ?? 'starttls') as SmtpSecurity;
  if (!['tls', 'starttls', 'none'].includes(security))
    throw new AppError('usage', '--smtp-security: use tls, starttls or none.', [], { key: 'cli.setup.smtpSecurity' });
  const port = Number(flags.smtpPort ?? preset?.port ?? (security === 'tls' ? 465 : 587));
  return { host, port, security, user: flags.smtpUser ?? null, password: flags.smtpPassword ?? null };
}

/** Asks each question on the terminal, the flag's value (if any) as the answer by default. */
async function ask(flags: Flags): Promise<Flags> {
  const { t } = words();
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answers: Flags = { ...flags };
  const question = async (key: string, secret = false) => {
    for (;;) {
      const current = answers[key];
      const shown = current && !secret ? ` [${current}]` : '';
      const reply = (await rl.question(t('cli.setup.question', { text: t(`cli.setup.ask.${key}`), shown }))).trim();
      if (reply !== '') answers[key] = reply;
      // Bank details are checked as they are typed, so a mistyped IBAN is asked again rather than refused at the end.
      const refusal =
        (key === 'iban' || key === 'bic') && answers[key] ? await bankRefusalText(key, answers[key]) : null;
      if (!refusal) return;
      process.stdout.write(`${refusal}\n`);
      delete answers[key];
    }
  };
  const section = (step: string, params: Record<string, string> = {}) =>
    process.stdout.write(`\n${t(`cli.setup.section.${step}`, params)}\n`);
  try {
    process.stdout.write(`${t('cli.setup.intro')}\n`);
    section('admin');
    await question('adminEmail');
    section('identity');
    for (const [flag] of IDENTITY) await question(flag);
    await question('logo');
    section('smtp', { presets: Object.keys(SMTP_PRESETS).join(', ') });
    await question('smtpPreset');
    if (!answers.smtpPreset) {
      await question('smtpHost');
      await question('smtpPort');
      await question('smtpSecurity');
    }
    await question('smtpUser');
    await question('smtpPassword', true);
    await question('testTo');
    section('policy');
    await question('policy');
    section('import');
    await question('importCustomers');
    await question('importInvoices');
  } finally {
    rl.close();
  }
  return answers;
}

async function bankRefusalText(key: string, value: string): Promise<string | null> {
  // The use cases are loaded when first needed, so that a usage error or --help does not pay for them.
  const { checkCompanySettings } = await import('../../accounts/update-company.ts');
  try {
    checkCompanySettings({ [key]: value });
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || !error.messageKey) throw error;
    return words().t(error.messageKey, error.params ?? {});
  }
}

function printChecklist(checklist: SetupChecklist): void {
  const { t } = words();
  process.stdout.write(`\n${t('cli.setup.checklist')}\n`);
  for (const step of checklist.steps) {
    const missing = step.missing.map((m) => t(`cli.setup.missing.${m}`)).join(', ');
    const todo = step.done ? '' : ` — ${t('cli.setup.todo', { missing })}`;
    process.stdout.write(`  [${step.done ? 'x' : ' '}] ${t(`cli.setup.step.${step.key}`)}${todo}\n`);
  }
  process.stdout.write(`${t(checklist.done ? 'cli.setup.ready' : 'cli.setup.notReady')}\n`);
}

function printOutcome(outcome: SetupOutcome, adminEmail: string | undefined): void {
  const { t } = words();
  if (outcome.adminPassword)
    process.stdout.write(`${t('cli.setup.adminCreated', { email: adminEmail, password: outcome.adminPassword })}\n`);
  const test = outcome.testSend;
  if (test) {
    const detail = test.reason ? t(test.reason.code, test.reason.params) : test.detail;
    process.stdout.write(`${t(`cli.setup.test.${test.result}`, { to: test.to, detail })}\n`);
  }
  for (const report of outcome.imports) {
    const text = t('cli.setup.imported', {
      kind: t(`import.kind.${report.kind}`),
      file: report.file,
      created: t('cli.setup.created', { count: report.created }),
      updated: t('cli.setup.updated', { count: report.updated }),
    });
    process.stdout.write(`${text}\n`);
  }
  printChecklist(outcome.checklist);
}

export function setupCommand(): Command {
  const command = new Command('setup')
    .description(
      'set up a real installation: first administrator, company identity, SMTP (with a test send), policy, first import',
    )
    .option('--no-interactive', 'never ask on the terminal (what scripts get anyway when stdin is not a terminal)')
    .option('--admin-email <e-mail>')
    .option('--admin-password <password>', 'else one is generated and printed once');
  for (const [flag] of IDENTITY) command.option(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <value>`);
  return command
    .option('--logo <file.png|file.jpg>', 'the logo printed in the letterhead')
    .option('--smtp-preset <name>', `provider: ${Object.keys(SMTP_PRESETS).join(', ')}`)
    .option('--smtp-host <host>')
    .option('--smtp-port <port>')
    .option('--smtp-security <tls|starttls|none>')
    .option('--smtp-user <user>')
    .option('--smtp-password <password>')
    .option('--test-to <e-mail>', 'send a test message there through the SMTP server')
    .option('--policy <file.json|default>', 'the dunning policy, made the default ("default": the built-in one)')
    .option('--import-customers <file.csv>')
    .option('--import-invoices <file.csv>')
    .action(async (given: Flags, cmd: Command) => {
      const flags = given.interactive !== false && process.stdin.isTTY ? await ask(given) : given;
      const input: SetupInput = { identity: identityOf(flags), smtp: smtpOf(flags), testTo: flags.testTo || undefined };
      if (flags.logo) input.logo = readInput(flags.logo);
      if (flags.adminEmail) input.admin = { email: flags.adminEmail, password: flags.adminPassword };
      if (flags.policy) input.policy = flags.policy === 'default' ? 'default' : readJson(flags.policy);
      input.imports = [
        ['customers', flags.importCustomers],
        ['invoices', flags.importInvoices],
      ]
        .filter((entry): entry is ['customers' | 'invoices', string] => !!entry[1])
        .map(([kind, file]) => ({ kind, fileName: basename(file), bytes: readInput(file) }));
      await withStore(cmd, async (store, company) => {
        const { applySetup } = await import('../../accounts/setup.ts');
        printOutcome(await applySetup(store, company.id, input), flags.adminEmail);
      });
    });
}

function readJson(file: string): unknown {
  const text = new TextDecoder().decode(readInput(file));
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    throw new AppError('invalid_input', `Cannot read ${file} as JSON: ${detail}.`, [], {
      key: 'cli.setup.notJson',
      params: { file, detail },
    });
  }
}

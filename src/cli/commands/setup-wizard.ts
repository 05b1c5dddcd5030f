import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { applySetup, type SetupInput } from '../../accounts/setup.ts';
import type { SetupChecklist } from '../../accounts/setup-checklist.ts';
import { parseAmount } from '../../domain/money.ts';
import { SMTP_PRESETS, type SmtpSecurity } from '../../mail/smtp-presets.ts';
import { AppError } from '../../shared/errors.ts';
import { checkCompanyInput } from '../../storage/companies.ts';
import { withStore } from '../context.ts';

type Flags = Record<string, string | undefined> & { interactive?: boolean };

const IDENTITY: [flag: string, field: string, question: string][] = [
  ['name', 'legalName', 'Raison sociale'],
  ['legalForm', 'legalForm', 'Forme juridique (SARL, SAS, EI…)'],
  ['capital', 'shareCapital', 'Capital social (€)'],
  ['siren', 'siren', 'SIREN'],
  ['siret', 'siret', 'SIRET du siège'],
  ['rcs', 'rcs', 'RCS (ex. RCS Lyon 732 829 320)'],
  ['vat', 'vatNumber', 'N° de TVA intracommunautaire'],
  ['addressLine1', 'address.line1', 'Adresse'],
  ['postcode', 'address.postcode', 'Code postal'],
  ['city', 'address.city', 'Ville'],
  ['country', 'address.country', 'Pays (code ISO, ex. FR)'],
  ['phone', 'phone', 'Téléphone'],
  ['iban', 'iban', 'IBAN'],
  ['bic', 'bic', 'BIC'],
  ['senderName', 'senderName', "Nom d'expéditeur des e-mails"],
  ['senderEmail', 'senderEmail', "Adresse d'expédition des e-mails"],
  ['timeZone', 'timeZone', 'Fuseau horaire (Europe/Paris)'],
];

const STEP_LABELS: Record<string, string> = {
  admin: 'Administrator / administrateur',
  identity: 'Company identity / identité',
  smtp: 'E-mail (SMTP, sender) / e-mail',
  policy: 'Dunning policy / scénario de relance',
  import: 'First import / premier import',
};

function identityOf(flags: Flags): SetupInput['identity'] {
  const identity: Record<string, unknown> = {};
  const address: Record<string, unknown> = {};
  for (const [flag, field] of IDENTITY) {
    const value = flags[flag];
    if (value === undefined) continue;
    let parsed: unknown = value === '' ? null : value;
    if (field === 'shareCapital' && value !== '') {
      const amount = parseAmount(value);
      if (!amount.ok) throw new AppError('invalid_input', `--capital: ${amount.reason}`);
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
    throw new AppError(
      'usage',
      `--smtp-preset ${flags.smtpPreset}: use one of ${Object.keys(SMTP_PRESETS).join(', ')}.`,
    );
  }
  const host = flags.smtpHost ?? preset?.host;
  if (!host) return undefined;
  const security = (flags.smtpSecurity ?? preset?.security ?? 'starttls') as SmtpSecurity;
  if (!['tls', 'starttls', 'none'].includes(security))
    throw new AppError('usage', '--smtp-security: use tls, starttls or none.');
  const port = Number(flags.smtpPort ?? preset?.port ?? (security === 'tls' ? 465 : 587));
  return { host, port, security, user: flags.smtpUser ?? null, password: flags.smtpPassword ?? null };
}

/** Asks each question on the terminal, the flag's value (if any) as the answer by default. */
async function ask(flags: Flags): Promise<Flags> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answers: Flags = { ...flags };
  const question = async (key: string, text: string, secret = false) => {
    for (;;) {
      const current = answers[key];
      const shown = current && !secret ? ` [${current}]` : '';
      const reply = (await rl.question(`${text}${shown}: `)).trim();
      if (reply !== '') answers[key] = reply;
      // Bank details are checked as they are typed, so a mistyped IBAN is asked again rather than refused at the end.
      const refusal =
        (key === 'iban' || key === 'bic') && answers[key] ? await bankRefusalText(key, answers[key]) : null;
      if (!refusal) return;
      process.stdout.write(`${refusal}\n`);
      delete answers[key];
    }
  };
  try {
    process.stdout.write(
      'relance setup — Entrée garde la valeur proposée, vide passe la question.\n\n1. Administrateur\n',
    );
    await question('adminEmail', "E-mail de l'administrateur");
    process.stdout.write('\n2. Identité de la société (en-tête des lettres, mentions légales)\n');
    for (const [flag, , text] of IDENTITY) await question(flag, text);
    await question('logo', 'Logo pour les lettres (fichier PNG ou JPEG)');
    process.stdout.write(`\n3. Envoi des e-mails — fournisseurs connus : ${Object.keys(SMTP_PRESETS).join(', ')}\n`);
    await question('smtpPreset', 'Fournisseur (ou vide pour un serveur à vous)');
    if (!answers.smtpPreset) {
      await question('smtpHost', 'Serveur SMTP');
      await question('smtpPort', 'Port (465 TLS, 587 STARTTLS)');
      await question('smtpSecurity', 'Sécurité (tls, starttls, none)');
    }
    await question('smtpUser', 'Identifiant SMTP');
    await question('smtpPassword', 'Mot de passe SMTP', true);
    await question('testTo', 'Envoyer un message test à');
    process.stdout.write('\n4. Scénario de relance\n');
    await question('policy', 'Fichier JSON du scénario, ou "default" pour le scénario standard');
    process.stdout.write('\n5. Premier import (CSV)\n');
    await question('importCustomers', 'Fichier des clients');
    await question('importInvoices', 'Fichier des factures');
  } finally {
    rl.close();
  }
  return answers;
}

async function bankRefusalText(key: string, value: string): Promise<string | null> {
  try {
    checkCompanyInput({ [key]: value });
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || !error.messageKey) throw error;
    const { languageOf, translator } = await import('../../i18n/index.ts');
    return translator(languageOf(undefined))(error.messageKey, error.params ?? {});
  }
}

function printChecklist(checklist: SetupChecklist): void {
  process.stdout.write('\nSet-up / mise en service:\n');
  for (const step of checklist.steps) {
    process.stdout.write(
      `  [${step.done ? 'x' : ' '}] ${STEP_LABELS[step.key]}${step.done ? '' : ` — to do: ${step.missing.join(', ')}`}\n`,
    );
  }
  process.stdout.write(
    checklist.done
      ? 'Ready: relance serve (see README, Going live).\n'
      : 'Run relance setup again with the missing parts, or finish in the web app (Paramètres).\n',
  );
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
      if (flags.logo) input.logo = readFile(flags.logo);
      if (flags.adminEmail) input.admin = { email: flags.adminEmail, password: flags.adminPassword };
      if (flags.policy) input.policy = flags.policy === 'default' ? 'default' : readJson(flags.policy);
      input.imports = [
        ['customers', flags.importCustomers],
        ['invoices', flags.importInvoices],
      ]
        .filter((entry): entry is ['customers' | 'invoices', string] => !!entry[1])
        .map(([kind, file]) => ({ kind, fileName: basename(file), bytes: readFileSync(file) }));
      await withStore(cmd, async (store, company) => {
        const outcome = await applySetup(store, company.id, input);
        if (outcome.adminPassword) {
          process.stdout.write(
            `Administrator ${flags.adminEmail} created with password ${outcome.adminPassword} (shown once).\n`,
          );
        }
        if (outcome.testSend) process.stdout.write(`Test message: ${outcome.testSend}\n`);
        for (const report of outcome.imports)
          process.stdout.write(
            `Imported ${report.kind} from ${report.file}: ${report.created} created, ${report.updated} updated.\n`,
          );
        printChecklist(outcome.checklist);
      });
    });
}

function readFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('invalid_input', `Cannot read ${file}: ${(error as Error).message}.`);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('invalid_input', `Cannot read ${file} as JSON: ${(error as Error).message}.`);
  }
}

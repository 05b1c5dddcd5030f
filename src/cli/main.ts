import { Command, CommanderError } from 'commander';
import { AppError, exitCodeOf, fromEngineError } from '../shared/errors.ts';
import {
  cliLanguage,
  cliTexts,
  fill,
  localizeProgram,
  localizeUsageError,
  withoutLeadingLang,
} from './help-language.ts';
import { helpOnlyCommands } from './help-index.ts';
import { COMMAND_MODULES, commandNameOf } from './registry.ts';

// `relance invoices list | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Help, usage errors and failures speak the reader's language (French unless --lang or LANG say English).
const language = cliLanguage(process.argv.slice(2));

const program = new Command('relance')
  .description('relance: chases unpaid invoices (reminders, letters, late-payment charges)')
  .option('--db <file-or-url>', 'SQLite file or postgres:// URL (default: $RELANCE_DB or ./data/relance.db)')
  .option('--company <id>', 'company to work on (default: the default company)')
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(localizeUsageError(text, language)) });

// Only the module of the command asked for is loaded: loading them all (PDF, mail, HTTP, XML libraries)
// took seconds before any command could start. Help and unknown commands load everything.
const asked = commandNameOf(process.argv.slice(2));
const wanted = COMMAND_MODULES.filter((entry) => entry.names.includes(asked ?? ''));
// `relance --help` (no command) lists the commands from the index the build saved, loading none of them.
const helpOnly = asked === null ? helpOnlyCommands() : null;
if (helpOnly) {
  for (const command of helpOnly.commands) program.addCommand(command);
  program.configureHelp({ subcommandTerm: (command) => helpOnly.terms.get(command.name()) ?? command.name() });
} else {
  for (const entry of wanted.length > 0 ? wanted : COMMAND_MODULES) {
    for (const command of await entry.load()) program.addCommand(command);
  }
}
// The messages' language is a global option, except for a command with a --lang of its own (the language of a
// template): the program would otherwise take that value for itself and the command would never see it.
const ownsLang = (command: Command): boolean =>
  command.options.some((option) => option.long === '--lang') || command.commands.some(ownsLang);
const commandOwnsLang = asked !== null && program.commands.some(ownsLang);
if (!commandOwnsLang) {
  program.option('--lang <fr|en>', 'language of the messages (default: from LANG, French unless English)');
}
// Sub-commands inherit the usage-error behaviour, so a wrong flag anywhere exits with 2.
for (const command of program.commands) {
  command.exitOverride();
  command.configureOutput(program.configureOutput());
  for (const sub of command.commands) {
    sub.exitOverride();
    sub.configureOutput(program.configureOutput());
  }
}
localizeProgram(program, language);

try {
  // The messages' --lang before such a command was read above (cliLanguage): commander must not see it.
  const argv = commandOwnsLang
    ? [...process.argv.slice(0, 2), ...withoutLeadingLang(process.argv.slice(2))]
    : process.argv;
  await program.parseAsync(argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = benign || error.exitCode === 0 ? 0 : 2;
  } else {
    const known = error instanceof AppError ? error : fromEngineError(error);
    const cli = cliTexts(language);
    if (known) {
      // Loaded only on failure: the catalogue's i18next instance says the error and its issues with their params.
      const { describeError } = await import('./describe-error.ts');
      const { message, issues } = describeError(known, language);
      process.stderr.write(`${fill(cli.failed, { message })}\n`);
      for (const issue of issues.slice(0, 50)) process.stderr.write(`  ${issue}\n`);
    } else {
      process.stderr.write(`${fill(cli.unexpected, { message: (error as Error).message })}\n`);
    }
    if (process.env.RELANCE_DEBUG && !(error instanceof AppError)) process.stderr.write(`${(error as Error).stack}\n`);
    else if (!known) process.stderr.write(`${cli.debug}\n`);
    process.exitCode = exitCodeOf(known ?? error);
  }
}

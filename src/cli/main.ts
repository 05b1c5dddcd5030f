import { Command, CommanderError } from 'commander';
import { AppError, describeIssue, exitCodeOf, fromEngineError } from '../shared/errors.ts';
import { helpOnlyCommands } from './help-index.ts';
import { COMMAND_MODULES, commandNameOf } from './registry.ts';

// `relance invoices list | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('relance')
  .description('relance: chases unpaid invoices (reminders, letters, late-payment charges)')
  .option('--db <file-or-url>', 'SQLite file or postgres:// URL (default: $RELANCE_DB or ./data/relance.db)')
  .option('--company <id>', 'company to work on (default: the default company)')
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

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
if (!(asked !== null && program.commands.some(ownsLang))) {
  program.option('--lang <fr|en>', 'language of the messages (default: from LANG, French unless English)');
}
// Sub-commands inherit the usage-error behaviour, so a wrong flag anywhere exits with 2.
for (const command of program.commands) {
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride();
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = benign || error.exitCode === 0 ? 0 : 2;
  } else {
    const known = error instanceof AppError ? error : fromEngineError(error);
    if (known) {
      // A message written for people (a catalogue key) is said in the reader's language; the others as raised.
      const said = known.messageKey ? await inReadersLanguage(known) : null;
      process.stderr.write(`relance: ${said?.message ?? known.message}\n`);
      const issues = said?.issues ?? known.issues.map(describeIssue);
      for (const issue of issues.slice(0, 50)) process.stderr.write(`  ${issue}\n`);
    } else {
      process.stderr.write(`relance: unexpected failure: ${(error as Error).message}\n`);
    }
    if (process.env.RELANCE_DEBUG && !(error instanceof AppError)) process.stderr.write(`${(error as Error).stack}\n`);
    else if (!known) process.stderr.write('(set RELANCE_DEBUG=1 for the details)\n');
    process.exitCode = exitCodeOf(known ?? error);
  }
}

async function inReadersLanguage(error: AppError): Promise<{ message: string; issues: string[] } | null> {
  const { hasMessage, issueReason, languageOf, translator } = await import('../i18n/index.ts');
  const language = languageOf(program.opts<{ lang?: string }>().lang);
  if (!error.messageKey || !hasMessage(language, error.messageKey)) return null;
  return {
    message: translator(language)(error.messageKey, error.params ?? {}),
    issues: error.issues.map((issue) => describeIssue({ ...issue, reason: issueReason(issue, language) })),
  };
}

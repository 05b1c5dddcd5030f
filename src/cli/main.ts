import { Command, CommanderError } from 'commander';
import { AppError, describeIssue, exitCodeOf, fromEngineError } from '../shared/errors.ts';
import { importCommand } from './commands/import.ts';
import { customersCommand, invoicesCommand } from './commands/ledger.ts';
import { demoCommand, initCommand, startCommand } from './commands/setup.ts';
import { dunningCommands } from './commands/dunning.ts';
import { documentCommands } from './commands/documents.ts';
import { companyCommand, holdCommand, schedulerCommand } from './commands/company.ts';
import { serveCommand } from './commands/serve.ts';
import { userCommand } from './commands/users.ts';
import { templatesCommand } from './commands/templates.ts';
import { integrationCommands } from './commands/integrations.ts';
import { mailCommands } from './commands/mail.ts';
import { reportCommand } from './commands/reports.ts';

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

for (const command of [initCommand(), importCommand(), customersCommand(), invoicesCommand(), ...dunningCommands(), holdCommand(),
  companyCommand(), schedulerCommand(), demoCommand(), startCommand(), serveCommand(), userCommand()]) {
  program.addCommand(command);
}
for (const command of documentCommands()) program.addCommand(command);
program.addCommand(templatesCommand());
for (const command of integrationCommands()) program.addCommand(command);
for (const command of mailCommands()) program.addCommand(command);
program.addCommand(reportCommand());
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
      process.stderr.write(`relance: ${known.message}\n`);
      for (const issue of known.issues.slice(0, 50)) process.stderr.write(`  ${describeIssue(issue)}\n`);
    } else {
      process.stderr.write(`relance: unexpected failure: ${(error as Error).message}\n`);
    }
    if (process.env.RELANCE_DEBUG && !(error instanceof AppError)) process.stderr.write(`${(error as Error).stack}\n`);
    else if (!known) process.stderr.write('(set RELANCE_DEBUG=1 for the details)\n');
    process.exitCode = exitCodeOf(known ?? error);
  }
}

import { Command, CommanderError } from 'commander';
import { AppError, describeIssue, exitCodeOf } from '../shared/errors.ts';
import { importCommand } from './commands/import.ts';
import { customersCommand, invoicesCommand } from './commands/ledger.ts';
import { demoCommand, initCommand, startCommand } from './commands/setup.ts';
import { dunningCommands } from './commands/dunning.ts';
import { companyCommand, holdCommand, schedulerCommand } from './commands/company.ts';

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
  companyCommand(), schedulerCommand(), demoCommand(), startCommand()]) {
  program.addCommand(command);
}
// Sub-commands inherit the usage-error behaviour, so a wrong flag anywhere exits with 2.
for (const command of program.commands) {
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride();
}

/** Engine errors a user can act on, in one sentence. */
function describeFailure(error: unknown): string | null {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_NOTADB') return 'the database file is not an SQLite database.';
  if (code.startsWith('SQLITE_BUSY')) return 'the database is busy with another process; try again in a moment.';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') return 'the database file cannot be written.';
  if (['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006'].includes(code)) return 'the database connection was lost.';
  return null;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = benign || error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof AppError) {
    process.stderr.write(`relance: ${error.message}\n`);
    for (const issue of error.issues.slice(0, 50)) process.stderr.write(`  ${describeIssue(issue)}\n`);
    process.exitCode = exitCodeOf(error);
  } else {
    const known = describeFailure(error);
    process.stderr.write(`relance: ${known ?? `unexpected failure: ${(error as Error).message}`}\n`);
    if (process.env.RELANCE_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    else if (!known) process.stderr.write('(set RELANCE_DEBUG=1 for the details)\n');
    process.exitCode = exitCodeOf(error);
  }
}

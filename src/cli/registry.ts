import type { Command } from 'commander';

/**
 * Which module defines which top-level commands. `test/cli/registry.test.ts` checks that each module
 * still produces exactly the names listed, so adding a command means adding its name here.
 */
export type CommandModule = { names: string[]; load: () => Promise<Command[]> };

export const COMMAND_MODULES: CommandModule[] = [
  {
    names: ['init', 'demo', 'start'],
    load: async () => {
      const m = await import('./commands/setup.ts');
      return [m.initCommand(), m.demoCommand(), m.startCommand()];
    },
  },
  { names: ['import'], load: async () => [(await import('./commands/import.ts')).importCommand()] },
  {
    names: ['customers', 'invoices'],
    load: async () => {
      const m = await import('./commands/ledger.ts');
      return [m.customersCommand(), m.invoicesCommand()];
    },
  },
  {
    names: ['plan', 'run', 'reminders', 'policy'],
    load: async () => (await import('./commands/dunning.ts')).dunningCommands(),
  },
  {
    names: ['hold', 'company', 'scheduler'],
    load: async () => {
      const m = await import('./commands/company.ts');
      return [m.holdCommand(), m.companyCommand(), m.schedulerCommand()];
    },
  },
  { names: ['serve'], load: async () => [(await import('./commands/serve.ts')).serveCommand()] },
  { names: ['user'], load: async () => [(await import('./commands/users.ts')).userCommand()] },
  {
    names: ['letters', 'statement', 'summary', 'letter-settings'],
    load: async () => (await import('./commands/documents.ts')).documentCommands(),
  },
  { names: ['templates'], load: async () => [(await import('./commands/templates.ts')).templatesCommand()] },
  {
    names: ['bank', 'sepa'],
    load: async () => (await import('./commands/integrations.ts')).integrationCommands(),
  },
  {
    names: ['follow-ups', 'quote-policy', 'schedule'],
    load: async () => {
      const m = await import('./commands/follow-ups.ts');
      return [m.followUpsCommand(), m.quotePolicyCommand(), m.scheduleCommand()];
    },
  },
  {
    names: ['outbox', 'dispatch', 'send-test', 'remind', 'simulate', 'mail', 'bounces', 'replies'],
    load: async () => (await import('./commands/mail.ts')).mailCommands(),
  },
  { names: ['setup'], load: async () => [(await import('./commands/setup-wizard.ts')).setupCommand()] },
  {
    names: ['migrate', 'backup', 'restore'],
    load: async () => {
      const m = await import('./commands/maintenance.ts');
      return [m.migrateCommand(), m.backupCommand(), m.restoreCommand()];
    },
  },
  { names: ['report'], load: async () => [(await import('./commands/reports.ts')).reportCommand()] },
  { names: ['rates'], load: async () => [(await import('./commands/rates.ts')).ratesCommand()] },
  { names: ['portal'], load: async () => [(await import('./commands/portal.ts')).portalCommand()] },
];

// Global options that take a value, as declared on the program in main.ts.
const GLOBAL_WITH_VALUE = new Set(['--lang', '--db', '--company']);

/** The top-level command a command line asks for, skipping the global options before it. */
export function commandNameOf(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return null;
}

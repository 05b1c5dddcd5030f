/**
 * What the adapters still take from src/storage at run time, file by file: opening, migrating and backing up the
 * store, and making the default company of a new one (the command line's own work). Every read goes through a use
 * case. The layer test refuses any import not listed here, so the list only shrinks.
 */
export const ADAPTER_STORAGE_IMPORTS: Record<string, string[]> = {
  // Opening, migrating, backing up the store: the command line's own work.
  'src/cli/commands/company.ts': ['database.ts:openStore'],
  'src/cli/commands/maintenance.ts': [
    'backup.ts:backupDatabase',
    'backup.ts:restoreDatabase',
    'database.ts:migrate',
    'database.ts:openStore',
    'database.ts:pendingMigrations',
  ],
  'src/cli/commands/serve.ts': ['database.ts:openStore', 'statistics.ts:gatherMissingStatistics'],
  'src/cli/context.ts': ['companies.ts:ensureDefaultCompany', 'database.ts:openStore'],
  'src/cli/commands/setup.ts': ['companies.ts:ensureDefaultCompany', 'database.ts:openStore'],
};

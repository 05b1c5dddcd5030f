/**
 * What the adapters still take from src/storage at run time, file by file: opening the store, the composition root
 * of every command (migrating, backing up and restoring it, and the default company, are use cases in
 * src/maintenance and src/accounts). Every read goes through a use case. The layer test refuses any import not
 * listed here, so the list only shrinks.
 */
export const ADAPTER_STORAGE_IMPORTS: Record<string, string[]> = {
  'src/cli/commands/company.ts': ['database.ts:openStore'],
  'src/cli/commands/maintenance.ts': ['database.ts:openStore'],
  'src/cli/commands/serve.ts': ['database.ts:openStore'],
  'src/cli/context.ts': ['database.ts:openStore'],
  'src/cli/commands/setup.ts': ['database.ts:openStore'],
};

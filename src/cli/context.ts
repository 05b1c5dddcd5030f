import { Command } from 'commander';
import type { Company } from '../domain/ledger.ts';
import { systemActor, type Actor, type Operator } from '../shared/actor.ts';
import { viewCompany } from '../accounts/view-company.ts';
import { openDefaultCompany } from '../accounts/default-company.ts';
import { openStore, type Store } from '../storage/database.ts';

export type GlobalOptions = { db?: string; company?: string };

/** Opens the database named by --db / RELANCE_DB and the company named by --company (or the default). */
export async function withStore<T>(command: Command, work: (store: Store, company: Company) => Promise<T>): Promise<T> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const store = await openStore(options.db);
  try {
    const company = options.company
      ? await viewCompany(store.db, options.company)
      : await openDefaultCompany(store.db, CLI_OPERATOR);
    return await work(store, company);
  } finally {
    await store.close();
  }
}

/** The command line as the audit log names it, before a company is chosen or across them all. */
export const CLI_OPERATOR: Operator = { userId: null, name: 'command line' };

/** The command line as the audit log names it: it sees every customer of the company. */
export function cliActor(company: Company): Actor {
  return systemActor(company.id, CLI_OPERATOR.name);
}

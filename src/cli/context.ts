import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Company } from '../domain/ledger.ts';
import { systemActor, type Actor, type Operator } from '../shared/actor.ts';
import type { Store } from '../storage/database.ts';

export type GlobalOptions = { db?: string; company?: string };

/**
 * Opens the database named by --db / RELANCE_DB and the company named by --company (or the default).
 * The storage layer (Kysely, the drivers) is loaded here, on first use: a usage error or `--help` never opens
 * a database, and loading it took most of the start of a light command.
 */
export async function withStore<T>(command: Command, work: (store: Store, company: Company) => Promise<T>): Promise<T> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const { openStore } = await import('../storage/database.ts');
  const store = await openStore(options.db);
  try {
    const company = options.company
      ? await (await import('../accounts/view-company.ts')).viewCompany(store.db, options.company)
      : await (await import('../accounts/default-company.ts')).openDefaultCompany(store.db, CLI_OPERATOR);
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

/** .eml files go next to an SQLite database, else under ./data. */
export function dataDirOf(store: Store): string {
  return store.dialect === 'sqlite' ? dirname(store.location) : 'data';
}

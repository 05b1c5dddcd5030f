import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

/** Runs `work` in the caller's transaction when there is one, otherwise in a new one. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(work);
}

import { sql, type Kysely } from 'kysely';

/**
 * A run's communications by run: the letters of a daily run (and its detail screen) are found from its run id.
 * Without this index both engines found them by reading every reminder of the company, which made a daily run
 * that records a few hundred letters cost the size of the dunning history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index communications_run_ix on communications (company_id, run_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index communications_run_ix`.execute(db);
}

import pg from 'pg';

/**
 * The suite creates and drops a PostgreSQL schema for almost every test, about a hundred tables each, and the test
 * server runs without autovacuum. The dead rows of the system catalogs then pile up (732 MB after two runs of the
 * suite), and every catalog read (the migrator's introspection, each CREATE and DROP) slows with them: two
 * repository test files took 29.7 s on such a catalog and 16.8 s on a clean one. The suite therefore starts from
 * compacted catalogs and vacuums them every half minute while it runs, as autovacuum would.
 */
const url = process.env.RELANCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const CATALOGS = ['pg_attribute', 'pg_depend', 'pg_class', 'pg_type', 'pg_constraint', 'pg_trigger', 'pg_index'];
const EVERY_MS = 30_000;

async function run(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(statement);
  } catch (error) {
    // Upkeep only: a server that is absent or refuses it leaves the suite slower, never failing (test/support/
    // stores.ts decides whether PostgreSQL is required).
    if (process.env.RELANCE_REQUIRE_PG === '1')
      console.warn(`PostgreSQL catalog upkeep skipped: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function setup(): Promise<() => Promise<void>> {
  // Nothing of the suite runs yet, so the exclusive locks of VACUUM FULL wait for nobody.
  await run(`vacuum (full) ${CATALOGS.map((table) => `pg_catalog.${table}`).join(', ')}`);
  let last = Promise.resolve();
  const timer = setInterval(() => {
    last = last.then(() => run(`vacuum ${CATALOGS.map((table) => `pg_catalog.${table}`).join(', ')}`));
  }, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await last;
  };
}

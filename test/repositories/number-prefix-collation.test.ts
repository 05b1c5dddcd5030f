import { randomBytes } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { createInvoice, listInvoices } from '../../src/storage/invoices.ts';
import { sortsByCodePoint } from '../../src/storage/migrations/0038-number-prefix-collation.ts';
import { dialects, PG_URL } from '../support/stores.ts';
import { customerInput, invoiceInput } from './helpers.ts';

const database = `relance_icu_${randomBytes(5).toString('hex')}`;
const admin = async (text: string) => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};

// A database sorting by language (French, ICU) while its `datcollate` reads C.UTF-8: what a managed PostgreSQL
// created with `--locale-provider=icu` looks like.
describe.runIf(dialects.includes('postgres'))('invoice-number prefix under a language collation (postgres)', () => {
  let store: Store | undefined;
  const seen: CompiledQuery[] = [];
  beforeAll(async () => {
    await admin(
      `create database ${database} template template0 encoding 'UTF8' locale_provider icu icu_locale 'fr' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
    );
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    store = await openStore(url.toString(), { onQuery: (query) => seen.push(query) });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await admin(`drop database if exists ${database}`);
  });

  it('finds numbers by their start through the text_pattern_ops index, as typed or in other case', async () => {
    const { db } = store!;
    expect(await sortsByCodePoint(db as unknown as Kysely<unknown>)).toBe(false);
    const company = await createCompany(db, { legalName: 'Société A' });
    const customer = await createCustomer(db, company.id, customerInput('ALP01', { name: 'Alpha Conseil' }));
    for (const number of ['FC2501-001', 'FC2501-002', 'fc2501-003', 'FC-2501', 'FC2502-001', 'XFC2501'])
      await createInvoice(db, company.id, customer.id, invoiceInput(number));
    // A ledger of some size, with statistics: on six rows any index of the company is as good as another.
    await sql`create table filler as select i.* from invoices i, generate_series(1, 5000) where i.number = 'XFC2501'`.execute(
      db,
    );
    await sql`update filler f set id = gen_random_uuid(), number = 'N' || lpad(r.n::text, 6, '0')
      from (select ctid, row_number() over () as n from filler) r where f.ctid = r.ctid`.execute(db);
    await sql`insert into invoices select * from filler`.execute(db);
    await sql`drop table filler`.execute(db);
    await sql`analyze invoices`.execute(db);
    seen.length = 0;
    const found = await listInvoices(db, company.id, { asOf: '2025-03-01', text: 'FC2501' });
    // A language's order puts 'FC-2501' beside 'FC2501' and ignores case: a range of the plain index would be wrong.
    expect(found.map((i) => i.number).sort()).toEqual(['FC2501-001', 'FC2501-002', 'fc2501-003']);

    const prefix = seen.find((q) => /from "invoices"/.test(q.sql) && /"number" like/.test(q.sql));
    expect(prefix, seen.map((q) => q.sql).join('\n')).toBeDefined();
    await db.connection().execute(async (connection) => {
      // A handful of rows is read faster by a scan; with scans forbidden the planner shows which index answers.
      await sql`set enable_seqscan = off`.execute(connection);
      const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${prefix!.sql}`, [...prefix!.parameters]),
      );
      await sql`reset enable_seqscan`.execute(connection);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/invoices_number_pattern_ix/);
      expect(plan).toMatch(/Index Cond: .*number.*~>=~/);
    });
  }, 60_000);
});

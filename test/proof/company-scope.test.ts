import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, issueApiToken } from '../../src/accounts/auth.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { planDunning, runDunning } from '../../src/dunning/run-dunning.ts';
import { buildApp } from '../../src/http/app.ts';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { agedBalance } from '../../src/reports/aging.ts';
import { collectionKpis } from '../../src/reports/kpis.ts';
import { remindersRegister } from '../../src/reports/register.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { listCustomers } from '../../src/storage/customers.ts';
import { invoiceTotals, listInvoices } from '../../src/storage/invoice-list.ts';
import { claimDueDeliveries, createWebhook } from '../../src/storage/webhooks.ts';
import { dialects, freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

/**
 * Tables without company_id, or read across companies on purpose (docs/SCALING.md): the companies themselves
 * (the scheduler lists them), users (global, a membership gives a role in a company), and the lookups that find
 * the company from a secret: a session, an API token or a reset token by its hash, a login by e-mail; and an
 * account's own invitations to join companies, listed by the account like its memberships.
 */
const CROSS_COMPANY_TABLES = new Set([
  'companies',
  'users',
  'sessions',
  'api_tokens',
  'password_resets',
  'memberships',
  'invitations',
]);
/** Bookkeeping and catalogue reads that touch no tenant data. */
const NOT_TENANT =
  /^\s*(pragma|begin|commit|rollback|savepoint|release|set |reset |analyze|select (version|sqlite_version|1)\b|select (current_setting|datcollate)|explain)/i;

/**
 * SQLite's own bulk paths, which a distributed PostgreSQL never runs: the row count that decides whether an
 * import rebuilds the invoice indexes (src/storage/bulk.ts), the rowid bound that splits the plan in two
 * threads (src/dunning/split-plan.ts), and the connection's TEMP triggers counting the writes a kept search
 * depends on (src/storage/search-writes.ts).
 */
const SQLITE_ENGINE_WORK = [
  /^select count\(\*\) as n from \(select 1 from "invoices" limit \?\)$/,
  /^select max\(rowid\) as top from invoices$/,
  /^create temp trigger if not exists "relance_search_[a-z_]+"\s+after [a-z_, ]+ on main\."(customers|invoices)" begin select relance_search_write\(\); end$/,
];

/** company_id compared with a bound value: `?`, `$1`, a named SQLite parameter (`@company`) or a written id. */
const BOUND_COMPANY = /company_id"?\s*(=\s*(\?|\$\d+|@[a-z]\w*|'[0-9a-f-]{36}')|in\s*\()/i;
/** A COPY writes the rows it is given, each with its company_id (src/storage/bulk.ts). */
const COPY_INTO = /^copy [a-z_]+ \(company_id,/;
/** An INSERT names company_id among its columns and gives it a value for each row. */
const INSERT_INTO = /^(\/\*[^*]*\*\/\s*)?insert into "?[a-z_]+"? \("?company_id"?,/i;
/**
 * The webhook dispatcher's claim of due deliveries, the one statement that reads across companies apart from the
 * tables above: like the scheduler, one worker serves every company (docs/SCALING.md).
 */
const DISPATCHER_CLAIM = /^select .* from "webhook_deliveries" as "d" inner join "webhooks" as "w"/;

/** The tables a statement reads or writes (after from, join, update, into), schema prefix dropped. */
function tablesOf(text: string): string[] {
  return [...text.matchAll(/\b(?:from|join|update|into)\s+(?:"?[a-z_0-9]+"?\.)?"?([a-z_]+)"?/gi)].map((m) =>
    m[1]!.toLowerCase(),
  );
}

const csv = (...lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

describe.each(dialects)('every query of the app names its company (%s)', (dialect) => {
  let store: TestStore;
  const seen: CompiledQuery[] = [];
  let dataDir: string;
  beforeAll(async () => {
    store = await freshStore(dialect, { onQuery: (query) => seen.push(query) });
    dataDir = mkdtempSync(join(tmpdir(), 'relance-scope-'));
  });
  afterAll(async () => {
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('filters every statement on a tenant table by company_id, from imports to the API', async () => {
    const { db } = store;
    // From here on, the app's own statements (the migrations, run once for the whole database, are behind us).
    seen.length = 0;
    const alpha = await createCompany(db, { legalName: 'Alpha' });
    const beta = await createCompany(db, { legalName: 'Beta' });
    const files: [ImportKind, Uint8Array][] = [
      [
        'customers',
        csv('code,name,kind,email', 'C1,Société Un,company,un@example.fr', 'C2,Deux,company,deux@example.fr'),
      ],
      [
        'invoices',
        csv(
          'number,customer,issue_date,due_date,total,currency',
          'F1,C1,2025-01-02,2025-02-01,120.00,EUR',
          'F2,C2,2025-01-05,2025-02-04,80.00,EUR',
          'F3,C1,2025-03-01,2025-03-31,50.00,EUR',
        ),
      ],
      ['payments', csv('invoice,date,amount,method', 'F2,2025-02-10,30.00,transfer')],
      ['credit-notes', csv('number,customer,date,total,invoice', 'AV1,C1,2025-02-15,10.00,F1')],
      ['quotes', csv('number,customer,date,valid_until,total,status', 'D1,C1,2025-01-01,2025-02-01,100.00,pending')],
    ];
    for (const [kind, bytes] of files) {
      const report = await importCsv(db, systemActor(alpha.id), { kind, fileName: `${kind}.csv`, bytes });
      expect(report.committed, `${kind}: ${JSON.stringify(report.issues)}`).toBe(true);
    }
    await loadDemo(db, beta.id, { customers: 20, invoices: 200, seed: 3, asOf: '2025-06-30' });
    await createWebhook(db, alpha.id, {
      url: 'https://hooks.example.test/relance',
      secret: 'secret',
      events: ['reminder.sent'],
    });
    for (const company of [alpha, beta]) {
      await planDunning(db, company.id, { date: '2025-06-30' });
      await runDunning(db, company.id, { date: '2025-06-30', dataDir });
      await dispatchOutbox(db, company.id, { dataDir });
      await agedBalance(db, company.id, { date: '2025-06-30' });
      await remindersRegister(db, company.id, { date: '2025-06-30' });
      await collectionKpis(db, company.id, { date: '2025-06-30' });
      await listCustomers(db, company.id, { search: 'societe' });
      for (const filter of [
        { status: 'overdue' as const },
        { text: 'F' },
        { text: 'societe' },
        { customerCode: 'C1', text: 'f' },
        { salesRep: 'Marie' },
        { dueFrom: '2025-01-01', dueTo: '2025-03-31', sort: 'dueDate' as const },
      ]) {
        await listInvoices(db, company.id, { asOf: '2025-06-30', ...filter });
        await invoiceTotals(db, company.id, { asOf: '2025-06-30', ...filter });
      }
    }

    expect(
      (await claimDueDeliveries(db, '2999-01-01T00:00:00.000Z', '2999-01-01T00:05:00.000Z')).length,
    ).toBeGreaterThan(0);

    const app = await buildApp({ db, dataDir, logger: false });
    try {
      const { user } = await addUser(db, alpha.id, {
        email: 'admin@alpha.test',
        role: 'admin',
        password: 'correct horse battery',
      });
      const { token } = await issueApiToken(db, alpha.id, { userId: user.id, name: 'scope' });
      await app.ready();
      const paths = Object.entries(
        (app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger().paths,
      )
        .filter(([path, methods]) => 'get' in methods && !path.includes('{') && path.startsWith('/api/v1/'))
        .map(([path]) => path);
      expect(paths.length).toBeGreaterThan(15);
      let answered = 0;
      for (const path of paths) {
        const response = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
        if (response.statusCode < 300) answered++;
      }
      expect(answered).toBeGreaterThan(15);
    } finally {
      await app.close();
    }

    const unscoped = new Set<string>();
    let dispatcherClaims = 0;
    let tenantStatements = 0;
    for (const { sql: text } of seen) {
      if (
        NOT_TENANT.test(text) ||
        (dialect === 'sqlite' && SQLITE_ENGINE_WORK.some((shape) => shape.test(text.trim())))
      )
        continue;
      const tables = tablesOf(text).filter(
        (t) =>
          !t.startsWith('pg_') &&
          !t.startsWith('sqlite_') &&
          !t.startsWith('pragma_') &&
          !t.startsWith('kysely_') &&
          t !== 'customers_search' &&
          // The sequence a kept search is checked against (migration 0045): a number, no company's rows.
          t !== 'search_data_version' &&
          t !== 'unnest' &&
          t !== 'stdin',
      );
      const tenant = tables.filter((t) => !CROSS_COMPANY_TABLES.has(t));
      if (tenant.length === 0) continue;
      tenantStatements++;
      if (DISPATCHER_CLAIM.test(text)) {
        dispatcherClaims++;
        continue;
      }
      // company_id compared with a value (not only joined to another table's company_id, which filters nothing).
      if (!BOUND_COMPANY.test(text) && !COPY_INTO.test(text) && !INSERT_INTO.test(text.trim()))
        unscoped.add(text.replace(/\s+/g, ' ').slice(0, 300));
    }
    expect(tenantStatements).toBeGreaterThan(200);
    expect(dispatcherClaims).toBe(1);
    expect([...unscoped]).toEqual([]);
  }, 300_000);
});

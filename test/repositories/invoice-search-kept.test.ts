import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/storage/companies.ts';
import { openStore } from '../../src/storage/database.ts';
import { createCustomer, updateCustomer } from '../../src/storage/customers.ts';
import { createInvoice, listInvoices, type InvoiceFilter } from '../../src/storage/invoices.ts';
import { inTransaction } from '../../src/storage/transactions.ts';
import { cachedSearch, dataVersion } from '../../src/storage/search-cache.ts';
import { recordAudit } from '../../src/storage/audit.ts';
import { touchApiToken } from '../../src/storage/users.ts';
import { addUser, issueApiToken } from '../../src/accounts/auth.ts';
import pg from 'pg';
import { dialects, PG_URL } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from './helpers.ts';

const asOf = '2025-03-01';

/**
 * A search repeated while nothing is written is answered from what the first one found: these tests repeat
 * searches and write between them, and expect what a fresh search finds every time.
 */
describe.each(dialects)('a repeated invoice search on %s', (dialect) => {
  const store = useStore(dialect);

  async function setup() {
    const { db } = store();
    const { id: companyId } = await createCompany(db, { legalName: 'Société K' });
    const a = await createCustomer(db, companyId, customerInput('DUP01', { name: 'Dupont Bâtiment' }));
    const b = await createCustomer(db, companyId, customerInput('DUP02', { name: 'Électricité Dupont' }));
    const other = await createCustomer(db, companyId, customerInput('OTH01', { name: 'Autre' }));
    for (const [customer, number] of [
      [a, 'F-003'],
      [b, 'F-001'],
      [other, 'F-002'],
      [a, 'F-005'],
      [b, 'F-004'],
    ] as const) {
      await createInvoice(db, companyId, customer.id, invoiceInput(number));
    }
    const search = async (text: string, filter: Partial<InvoiceFilter> = {}, on = db) =>
      (await listInvoices(on, companyId, { asOf, text, ...filter })).map((i) => i.number);
    return { db, companyId, a, b, other, search };
  }

  it('gives the same pages as the first time, in both orders, and follows every write at once', async () => {
    const { db, companyId, a, b, search } = await setup();
    const all = ['F-001', 'F-003', 'F-004', 'F-005'];
    for (let n = 0; n < 3; n++) expect(await search('DUPONT')).toEqual(all);
    expect(await search('dupont', { desc: true })).toEqual([...all].reverse());
    for (const desc of [false, true]) {
      const seen: string[] = [];
      let after: InvoiceFilter['after'];
      for (;;) {
        const rows = await search('dupont', { limit: 2, desc, after });
        seen.push(...rows);
        if (rows.length < 2) break;
        after = { number: rows[1]! };
      }
      expect(seen).toEqual(desc ? [...all].reverse() : all);
    }

    await createInvoice(db, companyId, a.id, invoiceInput('F-000'));
    expect(await search('dupont')).toEqual(['F-000', ...all]);
    await updateCustomer(db, companyId, b.id, { name: 'Électricité Générale' });
    expect(await search('dupont')).toEqual(['F-000', 'F-003', 'F-005']);
    expect(await search('dupont')).toEqual(['F-000', 'F-003', 'F-005']);

    // Written by another connection (another process beside the server, or another server).
    const other = await openStore(
      dialect === 'sqlite' ? store().location : `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${store().schema}`,
    );
    try {
      await createInvoice(other.db, companyId, a.id, invoiceInput('F-006'));
    } finally {
      await other.close();
    }
    expect(await search('dupont')).toEqual(['F-000', 'F-003', 'F-005', 'F-006']);
  });

  it('stays kept across writes that change no search, and follows every write that can', async () => {
    const { db, companyId, a, b, other, search } = await setup();
    const all = ['F-001', 'F-003', 'F-004', 'F-005'];
    const kept = async () => cachedSearch(db, `${companyId}\ndupont`, await dataVersion(db)) !== undefined;
    for (let n = 0; n < 2; n++) expect(await search('dupont')).toEqual(all);
    const before = await dataVersion(db);
    expect(before).not.toBeNull();
    expect(await kept()).toBe(true);

    // What every authenticated request, audited change, payment, dispute and category refresh writes.
    const { user } = await addUser(db, companyId, {
      email: 'k@example.fr',
      role: 'admin',
      password: 'kept-search-123',
    });
    const token = await issueApiToken(db, companyId, { userId: user.id, name: 'api' });
    await touchApiToken(db, companyId, token.id, '2025-03-01T10:00:00.000Z');
    await recordAudit(db, companyId, { userId: null, actor: 'test', action: 'invoice.dispute' });
    await db
      .updateTable('invoices')
      .set({ allocated: 10, disputed: 1, next_action_date: '2025-03-02', dunning_category: 'level-1' })
      .where('company_id', '=', companyId)
      .where('number', '=', 'F-003')
      .execute();
    expect(await dataVersion(db)).toBe(before);
    expect(await kept()).toBe(true);
    expect(await search('dupont')).toEqual(all);

    const renumber = (from: string, to: string) =>
      db.updateTable('invoices').set({ number: to }).where('company_id', '=', companyId).where('number', '=', from);
    await renumber('F-004', 'F-104').execute();
    expect(await search('dupont')).toEqual(['F-001', 'F-003', 'F-005', 'F-104']);
    expect(await search('dupont')).toEqual(['F-001', 'F-003', 'F-005', 'F-104']);
    await db
      .updateTable('invoices')
      .set({ customer_id: other.id })
      .where('company_id', '=', companyId)
      .where('number', '=', 'F-001')
      .execute();
    expect(await search('dupont')).toEqual(['F-003', 'F-005', 'F-104']);
    await db.deleteFrom('invoices').where('company_id', '=', companyId).where('number', '=', 'F-005').execute();
    expect(await search('dupont')).toEqual(['F-003', 'F-104']);
    await updateCustomer(db, companyId, other.id, { name: 'Dupont Frères' });
    expect(await search('dupont')).toEqual(['F-001', 'F-002', 'F-003', 'F-104']);
    await createInvoice(db, companyId, b.id, invoiceInput('F-200'));
    expect(await search('dupont')).toEqual(['F-001', 'F-002', 'F-003', 'F-104', 'F-200']);
    await db.deleteFrom('invoices').where('company_id', '=', companyId).where('customer_id', '=', a.id).execute();
    expect(await search('dupont', { desc: true })).toEqual(['F-200', 'F-104', 'F-002', 'F-001']);
  });

  it('keeps nothing a transaction wrote and then undid', async () => {
    const { db, companyId, a, search } = await setup();
    for (let n = 0; n < 2; n++) expect(await search('dupont bat')).toEqual(['F-003', 'F-005']);
    await expect(
      inTransaction(db, async (trx) => {
        await createInvoice(trx, companyId, a.id, invoiceInput('F-009'));
        for (let n = 0; n < 2; n++) expect(await search('dupont bat', {}, trx)).toEqual(['F-003', 'F-005', 'F-009']);
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    for (let n = 0; n < 2; n++) expect(await search('dupont bat')).toEqual(['F-003', 'F-005']);
  });

  // PostgreSQL only (a test skipped on SQLite would count as not run in CI): other transactions on the server.
  if (dialect === 'postgres')
    it('stays valid beside transactions that write nothing it reads, and follows one that does once it commits', async () => {
      const { db, companyId, a, search } = await setup();
      const other = await openStore(`${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${store().schema}`);
      const elsewhere = new pg.Client({ connectionString: PG_URL });
      await elsewhere.connect();
      try {
        expect(await search('dupont bat')).toEqual(['F-003', 'F-005']);
        const before = await dataVersion(db);
        // A transaction in progress on the server (another schema or database alike) that wrote something else.
        await elsewhere.query('begin');
        await elsewhere.query('select pg_current_xact_id()');
        expect(await dataVersion(db)).toBe(before);
        let written!: () => void;
        const started = new Promise<void>((resolve) => (written = resolve));
        let commit!: () => void;
        const gate = new Promise<void>((resolve) => (commit = resolve));
        const writing = inTransaction(other.db, async (trx) => {
          await createInvoice(trx, companyId, a.id, invoiceInput('F-007'));
          written();
          await gate;
        });
        await started;
        const during = await dataVersion(db);
        expect(during).not.toBe(before);
        for (let n = 0; n < 2; n++) expect(await search('dupont bat')).toEqual(['F-003', 'F-005']);
        commit();
        await writing;
        expect(await dataVersion(db)).not.toBe(during);
        expect(await search('dupont bat')).toEqual(['F-003', 'F-005', 'F-007']);
      } finally {
        await elsewhere.query('rollback').catch(() => {});
        await elsewhere.end();
        await other.close();
      }
    });
});

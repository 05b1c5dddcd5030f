import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/storage/companies.ts';
import { CompiledQuery, sql } from 'kysely';
import { importCsv } from '../../src/import/run-import.ts';
import { createCustomer, listCustomers, updateCustomer } from '../../src/storage/customers.ts';
import { createInvoice, invoiceTotals, listInvoices, type InvoiceFilter } from '../../src/storage/invoices.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { inTransaction } from '../../src/storage/transactions.ts';
import type { Db } from '../../src/storage/database.ts';
import { dialects } from '../support/stores.ts';
import { customerInput, invoiceInput, useStore } from './helpers.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { searchLimits } from '../../src/storage/invoice-search.ts';

const asOf = '2025-03-01';

describe.each(dialects)('invoice search (q) on %s', (dialect) => {
  const store = useStore(dialect);

  /** Two customers and five invoices whose numbers, titles, codes and names overlap in instructive ways. */
  async function setup() {
    const { db } = store();
    const { id: companyId } = await createCompany(db, { legalName: 'Société A' });
    const alpha = await createCustomer(db, companyId, customerInput('ALP01', { name: 'Alpha Conseil' }));
    const elec = await createCustomer(db, companyId, customerInput('ELE02', { name: 'Électricité Générale' }));
    const bio = await createCustomer(db, companyId, customerInput('BIO03', { name: '100% Bio Data_Center' }));
    await createInvoice(
      db,
      companyId,
      alpha.id,
      invoiceInput('FC2501-001', { title: 'Maintenance annuelle', dueDate: '2025-01-31' }),
    );
    await createInvoice(db, companyId, elec.id, invoiceInput('FC2501-002', { dueDate: '2025-04-30' }));
    await createInvoice(db, companyId, alpha.id, invoiceInput('fc-old-7', { dueDate: '2025-02-15' }));
    await createInvoice(db, companyId, elec.id, invoiceInput('XFC2501', { title: 'Travaux FC2501' }));
    await createInvoice(db, companyId, bio.id, invoiceInput('B-1', { total: 50_000 }));
    const search = async (text: string, filter: Partial<InvoiceFilter> = {}) =>
      (await listInvoices(db, companyId, { asOf, text, ...filter })).map((i) => i.number);
    return { db, companyId, alpha, elec, search };
  }

  it('matches an invoice number from its start, as typed, in capitals or in small letters, never from its middle', async () => {
    const { search } = await setup();
    expect(await search('fc2501')).toEqual(['FC2501-001', 'FC2501-002']);
    expect(await search('FC2501-00')).toEqual(['FC2501-001', 'FC2501-002']);
    expect(await search('FC-OLD')).toEqual(['fc-old-7']);
    expect(await search('FC2501-001')).toEqual(['FC2501-001']);
    expect(await search('2501')).toEqual([]);
  });

  it('matches every invoice of a customer whose code or name contains the text, case ignored (accented capitals too)', async () => {
    const { search } = await setup();
    expect(await search('lpha')).toEqual(['FC2501-001', 'fc-old-7']);
    expect(await search('e02')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('ÉLECTRICITÉ')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('générale')).toEqual(['FC2501-002', 'XFC2501']);
    // % and _ are the letters typed, not wildcards.
    expect(await search('100%')).toEqual(['B-1']);
    expect(await search('a_c')).toEqual(['B-1']);
    expect(await search('%')).toEqual(['B-1']);
  });

  it("searches titles and the middle of numbers only within one customer's invoices", async () => {
    const { search, alpha, elec } = await setup();
    expect(await search('maintenance')).toEqual([]);
    expect(await search('maintenance', { customerCode: 'ALP01' })).toEqual(['FC2501-001']);
    expect(await search('MAINTENANCE', { customerId: alpha.id })).toEqual(['FC2501-001']);
    expect(await search('2501', { customerCode: 'ELE02' })).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('travaux', { customerId: elec.id })).toEqual(['XFC2501']);
    expect(await search('travaux', { customerCode: 'ALP01' })).toEqual([]);
    // An empty customer filter is no filter, as an empty search is none.
    expect(await search('maintenance', { customerId: '' })).toEqual([]);
    expect(await search('', { customerId: '' })).toHaveLength(5);
  });

  it('combines with the other filters, pages with a cursor and sorts by due date; the totals sum the same invoices', async () => {
    const { db, companyId, alpha, search } = await setup();
    const [first] = await listInvoices(db, companyId, { asOf, text: 'FC2501-001' });
    await insertPayment(db, companyId, {
      customerId: alpha.id,
      date: '2025-02-01',
      currency: 'EUR',
      amount: 20_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: first!.id, amount: 20_000 }],
    });
    expect(await search('fc', { status: 'overdue' })).toEqual(['FC2501-001', 'fc-old-7']);
    expect(await search('alpha', { dueTo: '2025-02-01' })).toEqual(['FC2501-001']);
    expect(await search('fc2501', { limit: 1 })).toEqual(['FC2501-001']);
    expect(await search('fc2501', { limit: 1, after: { number: 'FC2501-001' } })).toEqual(['FC2501-002']);
    expect(await search('alpha', { sort: 'dueDate' })).toEqual(['FC2501-001', 'fc-old-7']);
    expect(await search('alpha', { sort: 'dueDate', after: { number: 'FC2501-001', dueDate: '2025-01-31' } })).toEqual([
      'fc-old-7',
    ]);

    for (const filter of [
      { text: 'alpha', status: 'overdue' },
      { text: 'fc' },
      { text: 'maintenance', customerCode: 'ALP01' },
      { text: 'e', status: 'open' },
    ] as const) {
      const rows = await listInvoices(db, companyId, { asOf, ...filter });
      expect(rows.length).toBeGreaterThan(0);
      expect(await invoiceTotals(db, companyId, { asOf, ...filter })).toEqual([
        {
          currency: 'EUR',
          count: rows.length,
          totalExclTax: rows.reduce((s, r) => s + (r.totalExclTax ?? 0), 0),
          total: rows.reduce((s, r) => s + r.total, 0),
          balance: rows.reduce((s, r) => s + r.balance, 0),
        },
      ]);
    }
  });

  it('finds the same invoices when more customers match than are looked up one by one', async () => {
    const { db } = store();
    const { id: companyId } = await createCompany(db, { legalName: 'Société B' });
    const invoices: { number: string; code: string; name: string }[] = [];
    await inTransaction(db, async (trx) => {
      for (let n = 1; n <= 1_200; n++) {
        const code = `K${String(n).padStart(4, '0')}`;
        const name = n % 10 === 0 ? `Martin ${n}` : `Dupont et fils ${n}`;
        const customer = await createCustomer(trx, companyId, customerInput(code, { name }));
        if (n % 50 > 1) continue;
        const number = `F${String(n).padStart(4, '0')}`;
        await createInvoice(trx, companyId, customer.id, invoiceInput(number));
        invoices.push({ number, code, name });
      }
    });
    const numbers = (keep: (i: { code: string; name: string }) => boolean) =>
      invoices
        .filter(keep)
        .map((i) => i.number)
        .sort();
    const search = async (text: string, limit?: number) =>
      (await listInvoices(db, companyId, { asOf, text, limit })).map((i) => i.number);
    const listed = searchLimits.listedCustomers;
    for (const limit of [listed, 1000]) {
      // 1,080 Duponts: more than are listed by id with the lower limit; with either, a page of 10 walks the number order.
      searchLimits.listedCustomers = limit;
      try {
        expect(await search('DUPONT')).toEqual(numbers((i) => i.name.startsWith('Dupont')));
        expect(await search('DUPONT', 10)).toEqual(numbers((i) => i.name.startsWith('Dupont')).slice(0, 10));
        expect((await invoiceTotals(db, companyId, { asOf, text: 'dupont' }))[0]?.count).toBe(
          numbers((i) => i.name.startsWith('Dupont')).length,
        );
        // Capped, a search reads one match more than the cap (so "more than cap"), and is exact up to the cap.
        const duponts = numbers((i) => i.name.startsWith('Dupont')).length;
        const capped = await invoiceTotals(db, companyId, { asOf, text: 'dupont' }, { searchCap: duponts - 2 });
        expect(capped.reduce((n, t) => n + t.count, 0)).toBe(duponts - 1);
        expect(await invoiceTotals(db, companyId, { asOf, text: 'dupont' }, { searchCap: duponts })).toEqual(
          await invoiceTotals(db, companyId, { asOf, text: 'dupont' }),
        );
        // A number's start still counts among so many customers: F0050 belongs to a Martin.
        expect(await search('dupont et fils 5')).toEqual(numbers((i) => i.name.startsWith('Dupont et fils 5')));
        expect(await search('f0050')).toEqual(['F0050']);
        // 999 customers (K0001…K0999): each looked up by id.
        expect(await search('k0')).toEqual(numbers((i) => i.code.startsWith('K0')));
      } finally {
        searchLimits.listedCustomers = listed;
      }
    }
  });

  it('gives the same pages however often a search shape repeats (a plan kept by the database after a few)', async () => {
    const { db, companyId } = await setup();
    // Twelve customers C00100…C00111 with three invoices each, numbered so that customers interleave; a code's start
    // finds ten of them (C0010x), another code one, a number prefix some invoices beside them.
    const expected = new Map<string, string[]>();
    for (let c = 0; c < 12; c++) {
      const code = `C00${100 + c}`;
      const customer = await createCustomer(db, companyId, customerInput(code, { name: `Client ${c}` }));
      for (let n = 0; n < 3; n++)
        await createInvoice(db, companyId, customer.id, invoiceInput(`G${n}${String(c).padStart(2, '0')}`));
    }
    const numbersOf = (codes: number[]) =>
      codes.flatMap((c) => [0, 1, 2].map((n) => `G${n}${String(c).padStart(2, '0')}`)).sort();
    expected.set('c0010', numbersOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expected.set('C00111', numbersOf([11]));
    expected.set('c00105', numbersOf([5]));
    expected.set(
      'G1',
      numbersOf(Array.from({ length: 12 }, (_, c) => c)).filter((n) => n.startsWith('G1')),
    );
    const pages = async (on: Db) => {
      const search = async (text: string, filter: Partial<InvoiceFilter> = {}) =>
        (await listInvoices(on, companyId, { asOf, text, limit: 7, ...filter })).map((i) => i.number);
      for (let round = 0; round < 8; round++) {
        for (const [text, all] of expected) {
          expect(await search(text)).toEqual(all.slice(0, 7));
          expect(await search(text, { desc: true })).toEqual([...all].reverse().slice(0, 7));
          expect(await search(text, { after: { number: all[2]! } })).toEqual(all.slice(3, 10));
        }
      }
    };
    // Outside a transaction a repeated search is answered from what it found (search-cache.ts); inside one it is
    // worked out each time, on one connection, where PostgreSQL keeps one plan of the statement after five.
    await pages(db);
    await inTransaction(db, pages);
  });

  it('lists an invoice once when both its number and its customer match, in either order and across pages', async () => {
    const { db, companyId, search } = await setup();
    // A customer whose name holds the text also typed as a number prefix.
    const fc = await createCustomer(db, companyId, customerInput('FCX01', { name: 'Société FC2501 Bâtiment' }));
    await createInvoice(db, companyId, fc.id, invoiceInput('FC2501-003'));
    await createInvoice(db, companyId, fc.id, invoiceInput('A-77'));
    const all = ['A-77', 'FC2501-001', 'FC2501-002', 'FC2501-003'];
    expect(await search('fc2501')).toEqual(all);
    expect(await search('fc2501', { desc: true })).toEqual([...all].reverse());
    // Keyset pages of one: each invoice once, none skipped, both ways.
    for (const desc of [false, true]) {
      const seen: string[] = [];
      let after: InvoiceFilter['after'];
      for (;;) {
        const [row] = await search('FC2501', { limit: 1, desc, after });
        if (!row) break;
        seen.push(row);
        after = { number: row };
      }
      expect(seen).toEqual(desc ? [...all].reverse() : all);
    }
    // The same page through the general path (another filter), and the totals count each invoice once.
    expect(await search('fc2501', { dueTo: '2099-12-31' })).toEqual(all);
    expect((await invoiceTotals(db, companyId, { asOf, text: 'fc2501' }))[0]?.count).toBe(4);
  });

  it('ignores accents both ways, in names and codes, and follows a renamed or imported customer', async () => {
    const { db, companyId, elec, search } = await setup();
    const oeuvre = await createCustomer(db, companyId, customerInput('CRÈCHE-9', { name: 'Œuvres Sociales Müller' }));
    await createInvoice(db, companyId, oeuvre.id, invoiceInput('Z-9'));
    expect(await search('electricite')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('GENERALE')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('Électricité générale')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('oeuvres')).toEqual(['Z-9']);
    expect(await search('muller')).toEqual(['Z-9']);
    expect(await search('creche')).toEqual(['Z-9']);
    // Fewer than three letters: no trigram, the same answer from a scan.
    expect(await search('mü')).toEqual(['Z-9']);
    expect((await listCustomers(db, companyId, { search: 'societes' })).map((c) => c.code)).toEqual([]);
    expect((await listCustomers(db, companyId, { search: 'SOCIALES' })).map((c) => c.code)).toEqual(['CRÈCHE-9']);

    await updateCustomer(db, companyId, elec.id, { name: 'Énergie Durable' });
    expect(await search('electricite')).toEqual([]);
    expect(await search('energie')).toEqual(['FC2501-002', 'XFC2501']);
    await importCsv(db, systemActor(companyId), {
      kind: 'customers',
      fileName: 'c.csv',
      bytes: new TextEncoder().encode(
        'code,name,kind,email\nELE02,Électrons Libres,company,a@b.fr\nNEW01,Société Nouvelle,company,n@b.fr\n',
      ),
    });
    expect(await search('electrons')).toEqual(['FC2501-002', 'XFC2501']);
    expect(await search('energie')).toEqual([]);
    expect((await listCustomers(db, companyId, { search: 'societe nouv' })).map((c) => c.code)).toEqual(['NEW01']);
  });

  it('finds customers through an index of their folded code and name', async () => {
    const { db, companyId } = await setup();
    const compiled = db.selectFrom('customers').select('id').where('search_text', 'like', '%lectri%').compile();
    if (dialect === 'sqlite') {
      const { rows } = await sql<{
        detail: string;
      }>`explain query plan select id from customers where company_id = ${companyId}
        and rowid in (select rowid from customers_search where search_text like '%lectri%')`.execute(db);
      expect(rows.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE/);
    } else {
      // A handful of rows is read faster by a scan; with scans forbidden the trigram index (the only one on the
      // column) answers the LIKE.
      await db.connection().execute(async (connection) => {
        await sql`set enable_seqscan = off`.execute(connection);
        const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
        );
        await sql`reset enable_seqscan`.execute(connection);
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/customers_search_trgm_ix/);
      });
    }
  });
});

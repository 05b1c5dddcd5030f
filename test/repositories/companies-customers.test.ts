import { describe, expect, it } from 'vitest';
import {
  createCompany,
  ensureDefaultCompany,
  getCompany,
  listCompanies,
  updateCompany,
  type CompanyInput,
} from '../../src/storage/companies.ts';
import {
  addContact,
  createCustomer,
  getCustomer,
  getCustomerByCode,
  listContacts,
  listCustomers,
} from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { newId } from '../../src/shared/ids.ts';
import { dialects } from '../support/stores.ts';
import { countRows, customerInput, expectAppError, invoiceInput, useStore } from './helpers.ts';

const fullCompany: CompanyInput = {
  legalName: 'Atelier Dupont SARL',
  siren: '732829320',
  vatNumber: 'FR44732829320',
  address: { line1: '12 rue de la Paix', line2: 'Bâtiment B', postcode: '75002', city: 'Paris', country: 'FR' },
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPPXXX',
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  locale: 'fr',
  letterhead: 'Dupont — depuis 1950',
  automation: { enabled: true, time: '07:45', skipWeekends: false, skipHolidays: true },
  paymentLinkPattern: 'https://pay.example.fr/dupont?ref={{ reference }}&amount={{ amount }}',
  formalNoticeDays: 15,
  portalLinkDays: 45,
  notifyAnswers: false,
  legalForm: 'SARL',
  shareCapital: 1_000_000,
  siret: '73282932000074',
  rcs: 'RCS Paris 732 829 320',
  phone: '01 42 00 00 00',
  senderName: 'Atelier Dupont — Comptabilité',
  senderEmail: 'compta@atelier-dupont.fr',
  demoData: false,
};

describe.each(dialects)('companies on %s', (dialect) => {
  const store = useStore(dialect);

  it('ensureDefaultCompany creates one default company and returns the same one on a second call', async () => {
    const { db } = store();
    const first = await ensureDefaultCompany(db);
    const second = await ensureDefaultCompany(db);
    expect(first.legalName).toBe('Ma société');
    expect(first.currency).toBe('EUR');
    expect(second).toEqual(first);
    expect(await listCompanies(db)).toEqual([first]);
  });

  it('concurrent first calls to ensureDefaultCompany leave exactly one default company', async () => {
    const { db } = store();
    const results = await Promise.all([ensureDefaultCompany(db), ensureDefaultCompany(db), ensureDefaultCompany(db)]);
    expect(new Set(results.map((c) => c.id)).size).toBe(1);
    expect(await countRows(db, 'companies')).toBe(1);
    const [row] = await rawQuery<{ n: number | string }>(
      db,
      'select count(*) as n from companies where is_default = 1',
    );
    expect(Number(row?.n)).toBe(1);
  });

  it('ensureDefaultCompany ignores companies that are not the default one', async () => {
    const { db } = store();
    const other = await createCompany(db, { legalName: 'Autre' });
    const fallback = await ensureDefaultCompany(db);
    expect(fallback.id).not.toBe(other.id);
    expect((await ensureDefaultCompany(db)).id).toBe(fallback.id);
  });

  it('createCompany, getCompany and updateCompany round-trip every field', async () => {
    const { db } = store();
    const created = await createCompany(db, fullCompany);
    expect(created).toEqual({ id: created.id, ...fullCompany });
    expect(await getCompany(db, created.id)).toEqual(created);

    const change: CompanyInput = {
      ...fullCompany,
      legalName: 'Dupont & Fils SA',
      address: { line1: '3 quai du Rhône', line2: null, postcode: '1204', city: 'Genève', country: 'CH' },
      iban: 'CH9300762011623852957',
      bic: null,
      currency: 'CHF',
      timeZone: 'Europe/Zurich',
    };
    const updated = await updateCompany(db, created.id, change);
    expect(updated).toEqual({ id: created.id, ...change });
    expect(await getCompany(db, created.id)).toEqual(updated);
  });

  it('createCompany fills the defaults of a minimal input', async () => {
    const { db } = store();
    const created = await createCompany(db, { legalName: 'Minimal' });
    expect(await getCompany(db, created.id)).toMatchObject({
      legalName: 'Minimal',
      iban: null,
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      locale: 'fr',
      address: { line1: null, line2: null, postcode: null, city: null, country: 'FR' },
    });
  });

  it('getCompany and updateCompany of an unknown id are not_found', async () => {
    const { db } = store();
    await expectAppError(getCompany(db, newId()), 'not_found');
    await expectAppError(updateCompany(db, newId(), { legalName: 'X' }), 'not_found');
  });
});

describe.each(dialects)('customers on %s', (dialect) => {
  const store = useStore(dialect);

  async function company() {
    return createCompany(store().db, { legalName: 'Société A' });
  }

  it('createCustomer and getCustomerByCode round-trip', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    const input = customerInput('C1', {
      name: 'Boulangerie Martin',
      kind: 'individual',
      siren: '552100554',
      vatNumber: 'FR12552100554',
      address: { line1: '5 place du Marché', line2: 'Porte 2', postcode: '69001', city: 'Lyon', country: 'FR' },
      language: 'en',
      salesRep: 'alice',
      paymentTerms: '30 jours fin de mois',
      notes: 'Paie par chèque',
    });
    const created = await createCustomer(db, companyId, input);
    expect(created).toEqual({ id: created.id, ...input });
    expect(await getCustomerByCode(db, companyId, 'C1')).toEqual(created);
    expect(await getCustomer(db, companyId, created.id)).toEqual(created);
  });

  it('a duplicate code is a conflict, an unknown code is not_found', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    await createCustomer(db, companyId, customerInput('C1'));
    await expectAppError(createCustomer(db, companyId, customerInput('C1', { name: 'Autre' })), 'conflict', /C1/);
    expect(await countRows(db, 'customers')).toBe(1);
    await expectAppError(getCustomerByCode(db, companyId, 'C2'), 'not_found');
  });

  it('addContact with isPrimary demotes the previous primary contact', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    const customer = await createCustomer(db, companyId, customerInput('C1'));
    const contact = { name: null, phone: null, role: null };
    await addContact(db, companyId, customer.id, { ...contact, email: 'old@example.fr', isPrimary: true });
    await addContact(db, companyId, customer.id, { ...contact, email: 'new@example.fr', isPrimary: true });
    await addContact(db, companyId, customer.id, { ...contact, email: 'cc@example.fr', isPrimary: false });

    const contacts = await listContacts(db, companyId, customer.id);
    expect(contacts.map((c) => [c.email, c.isPrimary])).toEqual([
      ['new@example.fr', true],
      ['cc@example.fr', false],
      ['old@example.fr', false],
    ]);
    const [listed] = await listCustomers(db, companyId);
    expect(listed?.email).toBe('new@example.fr');
  });

  it('addContact to an unknown customer is not_found', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    await expectAppError(
      addContact(db, companyId, newId(), {
        name: null,
        email: 'x@example.fr',
        phone: null,
        role: null,
        isPrimary: true,
      }),
      'not_found',
    );
  });

  it('listCustomers gives the primary e-mail, the open invoices and the balance', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    const c1 = await createCustomer(db, companyId, customerInput('C1'));
    await createCustomer(db, companyId, customerInput('C2'));
    await addContact(db, companyId, c1.id, {
      name: 'Compta',
      email: 'compta@c1.fr',
      phone: null,
      role: null,
      isPrimary: true,
    });
    const f1 = await createInvoice(db, companyId, c1.id, invoiceInput('F1', { total: 100_000 }));
    await createInvoice(db, companyId, c1.id, invoiceInput('F2', { total: 50_000 }));
    const f3 = await createInvoice(db, companyId, c1.id, invoiceInput('F3', { total: 10_000 }));
    await insertPayment(db, companyId, {
      customerId: c1.id,
      date: '2025-02-10',
      currency: 'EUR',
      amount: 30_000,
      method: 'transfer',
      reference: null,
      allocations: [{ invoiceId: f1.id, amount: 30_000 }],
    });
    await insertPayment(db, companyId, {
      customerId: c1.id,
      date: '2025-02-10',
      currency: 'EUR',
      amount: 10_000,
      method: 'card',
      reference: null,
      allocations: [{ invoiceId: f3.id, amount: 10_000 }],
    });

    const list = await listCustomers(db, companyId);
    expect(list.map((c) => c.code)).toEqual(['C1', 'C2']);
    expect(list[0]).toMatchObject({ id: c1.id, email: 'compta@c1.fr', openInvoices: 2, balance: 120_000 });
    expect(list[1]).toMatchObject({ email: null, openInvoices: 0, balance: 0 });
    expect(typeof list[0]?.openInvoices).toBe('number');
    expect(typeof list[0]?.balance).toBe('number');
  });

  it('listCustomers searches names and codes without regard to case', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    await createCustomer(db, companyId, customerInput('C1', { name: 'Boulangerie Martin' }));
    await createCustomer(db, companyId, customerInput('C2', { name: 'MARTIN Frères' }));
    await createCustomer(db, companyId, customerInput('C3', { name: 'Garage Leroy' }));
    const codes = async (search: string) => (await listCustomers(db, companyId, { search })).map((c) => c.code);
    expect(await codes('martin')).toEqual(['C1', 'C2']);
    expect(await codes('MaRtIn')).toEqual(['C1', 'C2']);
    expect(await codes('leroy')).toEqual(['C3']);
    expect(await codes('c3')).toEqual(['C3']);
    expect(await codes('absent')).toEqual([]);
  });

  it('listCustomers search ignores the case of accented letters too', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    await createCustomer(db, companyId, customerInput('C1', { name: 'ÉLECTRICITÉ GÉNÉRALE' }));
    await createCustomer(db, companyId, customerInput('C2', { name: 'électricité du Sud' }));
    const codes = async (search: string) => (await listCustomers(db, companyId, { search })).map((c) => c.code);
    expect(await codes('électricité')).toEqual(['C1', 'C2']);
    expect(await codes('ÉLECTRICITÉ')).toEqual(['C1', 'C2']);
  });

  it('listCustomers pages by code with afterCode', async () => {
    const { db } = store();
    const { id: companyId } = await company();
    for (const code of ['C04', 'C02', 'C05', 'C01', 'C03']) await createCustomer(db, companyId, customerInput(code));
    const page = async (afterCode?: string) =>
      (await listCustomers(db, companyId, { limit: 2, ...(afterCode ? { afterCode } : {}) })).map((c) => c.code);
    expect(await page()).toEqual(['C01', 'C02']);
    expect(await page('C02')).toEqual(['C03', 'C04']);
    expect(await page('C04')).toEqual(['C05']);
    expect(await page('C05')).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { getCustomerByCode, listContacts } from '../../src/storage/customers.ts';
import { getInvoiceByNumber } from '../../src/storage/invoices.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

let store: TestStore;
let companyId: string;

beforeEach(async () => {
  store = await freshStore('sqlite');
  companyId = (await ensureDefaultCompany(store.db)).id;
});
afterEach(async () => store.dispose());

const load = (kind: ImportKind, text: string) =>
  importCsv(store.db, systemActor(companyId), { kind, fileName: `${kind}.csv`, bytes: Buffer.from(text) });

describe('re-importing a file with fewer columns', () => {
  it('keeps the stored values of optional columns the file does not have', async () => {
    await load(
      'customers',
      'code,name,kind,email,siren,city,sales_rep\nC1,Acme,company,a@acme.fr,732829320,Lyon,Claire\n',
    );
    const report = await load('customers', 'code,name,kind,email\nC1,Acme SAS,company,a@acme.fr\n');
    expect(report).toMatchObject({ committed: true, updated: 1, created: 0 });
    const customer = await getCustomerByCode(store.db, companyId, 'C1');
    expect(customer).toMatchObject({ name: 'Acme SAS', siren: '732829320', salesRep: 'Claire' });
    expect(customer.address.city).toBe('Lyon');

    await load(
      'invoices',
      'number,customer,issue_date,due_date,total,currency,title,sales_rep\n' +
        'F1,C1,2025-01-01,2025-01-31,100.00,EUR,Audit,Julien\n',
    );
    const again = await load(
      'invoices',
      'number,customer,issue_date,due_date,total,currency\nF1,C1,2025-01-01,2025-01-31,100.00,EUR\n',
    );
    expect(again).toMatchObject({ committed: true, unchanged: 1, updated: 0 });
    expect(await getInvoiceByNumber(store.db, companyId, 'F1')).toMatchObject({ title: 'Audit', salesRep: 'Julien' });
  });

  it('makes a newly listed first e-mail the primary contact without dropping the old one', async () => {
    await load('customers', 'code,name,kind,email\nC1,Acme,company,old@acme.fr\n');
    const report = await load('customers', 'code,name,kind,email\nC1,Acme,company,"new@acme.fr;old@acme.fr"\n');
    expect(report).toMatchObject({ committed: true, updated: 1, unchanged: 0 });
    const customer = await getCustomerByCode(store.db, companyId, 'C1');
    const contacts = await listContacts(store.db, companyId, customer.id);
    expect(contacts.map((c) => [c.email, c.isPrimary])).toEqual([
      ['new@acme.fr', true],
      ['old@acme.fr', false],
    ]);
  });
});
